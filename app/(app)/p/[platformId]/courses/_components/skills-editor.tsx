"use client";

import { useTransition } from "react";
import { toast } from "sonner";
import { Button } from "@/components/button";
import { acceptSuggestionAction, attachSkillAction, detachSkillAction } from "../actions";
import { SkillInput } from "./skill-input";

/** One course's skills: attach from the library (or create inline), detach, accept Coursera's suggestions in one click. */
export function SkillsEditor({
  platformId,
  courseId,
  skills,
  suggestions,
}: {
  platformId: string;
  courseId: string;
  skills: { id: string; name: string }[];
  suggestions: string[];
}) {
  const [pending, startTransition] = useTransition();

  const attach = (name: string) =>
    new Promise<void>((resolve) =>
      startTransition(async () => {
        const result = await attachSkillAction(platformId, { courseId, name });
        if (!result.ok) toast.error(result.message);
        else toast.success(result.added ? `“${result.skill.name}” added.` : `“${result.skill.name}” was already attached.`);
        resolve();
      }),
    );

  return (
    <div className="space-y-5">
      <div>
        <h3 className="text-sm font-medium">Attached skills</h3>
        {skills.length === 0 ? (
          <p className="mt-1 text-sm text-slate-600">No skill yet.</p>
        ) : (
          <ul className="mt-2 flex flex-wrap gap-2" aria-label="Attached skills">
            {skills.map((s) => (
              <li key={s.id} className="inline-flex items-center gap-1 rounded-full bg-brand-100 py-0.5 pl-3 pr-1 text-sm text-brand-800">
                <span>{s.name}</span>
                <button
                  type="button"
                  aria-label={`Remove ${s.name}`}
                  disabled={pending}
                  className="rounded-full px-1.5 hover:bg-brand-50"
                  onClick={() =>
                    startTransition(async () => {
                      const result = await detachSkillAction(platformId, { courseId, skillId: s.id });
                      if (!result.ok) toast.error(result.message);
                      else toast.success(`“${s.name}” removed.`);
                    })
                  }
                >
                  <span aria-hidden="true">×</span>
                </button>
              </li>
            ))}
          </ul>
        )}
      </div>
      <div className="max-w-md">
        <SkillInput platformId={platformId} label="Add a skill" exclude={skills.map((s) => s.name)} onPick={attach} disabled={pending} />
      </div>
      {suggestions.length > 0 && (
        <div>
          <h3 className="text-sm font-medium">Suggested by Coursera</h3>
          <ul className="mt-2 flex flex-wrap gap-2" aria-label="Skills suggested by Coursera">
            {suggestions.map((name) => (
              <li key={name}>
                <Button
                  variant="secondary"
                  className="!rounded-full !px-3 !py-1"
                  disabled={pending}
                  aria-label={`Accept suggested skill ${name}`}
                  onClick={() =>
                    startTransition(async () => {
                      const result = await acceptSuggestionAction(platformId, { courseId, name });
                      if (!result.ok) toast.error(result.message);
                      else toast.success(`“${name}” added.`);
                    })
                  }
                >
                  + {name}
                </Button>
              </li>
            ))}
          </ul>
        </div>
      )}
    </div>
  );
}
