import { describe, expect, it } from "vitest";
import {
  epochToDate,
  gradeToPercent,
  normaliseContent,
  normaliseContentType,
  normaliseEnrollment,
  normaliseProgram,
} from "@/lib/coursera/schema";

function omit<T extends object, K extends keyof T>(obj: T, key: K): Omit<T, K> {
  const copy = { ...obj };
  delete copy[key];
  return copy;
}

const content = {
  contentId: "rUHfSakHEeeQ3gpuC4Fs_g",
  contentType: "Course",
  name: "The Science of Well-Being",
  slug: "the-science-of-well-being",
  description: "Happiness, explained.",
  languageCode: "en",
  subtitleLanguageCodes: ["en", "es", "en"],
  difficultyLevel: "beginner",
  lastUpdatedAt: 1769778943000,
  partners: [{ name: "Yale University", logoUrl: "https://example.test/yale.png" }, { nope: true }],
  instructors: [{ name: "Laurie Santos", title: "Professor" }],
  programs: [
    { programId: "p1", contentUrl: "https://www.coursera.org/programs/acme?productId=rUHf&productType=course" },
    { programId: "p2", contentUrl: "https://www.coursera.org/programs/other?productId=rUHf" },
  ],
  extraMetadata: {
    typeName: "courseMetadata",
    definition: {
      promoPhoto: "https://example.test/promo.png",
      estimatedLearningTime: 3630,
      skills: [{ skillId: "python", skillName: "Python" }],
      domainTypes: [
        { domain: { domainId: "technology", name: "Technology" }, subdomain: { subdomainId: "x", name: "X" } },
        { domain: { domainId: "technology", name: "Technology" } },
      ],
    },
  },
};

describe("normaliseContent", () => {
  it("maps every field of a complete element", () => {
    const r = normaliseContent(content);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value).toEqual({
      contentId: "rUHfSakHEeeQ3gpuC4Fs_g",
      contentType: "COURSE",
      title: "The Science of Well-Being",
      description: "Happiness, explained.",
      slug: "the-science-of-well-being",
      language: "en",
      subtitleLanguages: ["en", "es"],
      level: "BEGINNER",
      durationMinutes: 61,
      imageUrl: "https://example.test/promo.png",
      partners: [{ name: "Yale University", logoUrl: "https://example.test/yale.png" }],
      instructors: [{ name: "Laurie Santos", title: "Professor", photoUrl: null }],
      programIds: ["p1", "p2"],
      launchUrl: "https://www.coursera.org/programs/acme?productId=rUHf&productType=course",
      launchUrls: [
        "https://www.coursera.org/programs/acme?productId=rUHf&productType=course",
        "https://www.coursera.org/programs/other?productId=rUHf",
      ],
      skills: [{ id: "python", name: "Python" }],
      domains: [{ id: "technology", name: "Technology" }],
      courseraUpdatedAt: new Date(1769778943000),
    });
  });

  it("tolerates a minimal element and falls back to `id`", () => {
    const r = normaliseContent({ id: "abc", name: "Only a name" });
    expect(r.ok && r.value).toMatchObject({
      contentId: "abc",
      contentType: "OTHER",
      description: "",
      level: null,
      durationMinutes: null,
      launchUrl: null,
      partners: [],
      courseraUpdatedAt: null,
    });
  });

  it("reads lastUpdatedAt in seconds as well as milliseconds", () => {
    const seconds = normaliseContent({ ...content, lastUpdatedAt: 1769778943 });
    const ms = normaliseContent(content);
    expect(seconds.ok && seconds.value.courseraUpdatedAt?.getTime()).toBe(1769778943000);
    expect(ms.ok && ms.value.courseraUpdatedAt?.getTime()).toBe(1769778943000);
    expect(epochToDate(0)).toBeNull();
    expect(epochToDate(99_999_999_999)?.getTime()).toBe(99_999_999_999_000);
    expect(epochToDate(100_000_000_000)?.getTime()).toBe(100_000_000_000);
  });

  it("maps unknown content types to OTHER and known spellings to the enum", () => {
    expect(normaliseContentType("Podcast")).toBe("OTHER");
    expect(normaliseContentType(undefined)).toBe("OTHER");
    expect(normaliseContentType("ProfessionalCertificate")).toBe("PROFESSIONAL_CERTIFICATE");
    expect(normaliseContentType("GUIDED_PROJECT")).toBe("GUIDED_PROJECT");
    expect(normaliseContentType("Specialization")).toBe("SPECIALIZATION");
    expect(normaliseContentType("Video")).toBe("VIDEO");
  });

  it("reports a broken element with its id and a readable reason", () => {
    const r = normaliseContent({ ...omit(content, "name"), lastUpdatedAt: "yesterday" });
    expect(r).toEqual({ ok: false, id: "rUHfSakHEeeQ3gpuC4Fs_g", reason: "missing name; lastUpdatedAt is not a number" });
    expect(normaliseContent({ name: "x" })).toEqual({ ok: false, id: null, reason: "missing contentId" });
    expect(normaliseContent("nope")).toEqual({ ok: false, id: null, reason: "element is not an object" });
    expect(normaliseContent({ contentId: "a", name: "  " })).toMatchObject({ ok: false, id: "a", reason: "name is empty" });
    expect(normaliseContent({ contentId: "a", name: 42 })).toMatchObject({ ok: false, reason: "name is not a text" });
  });

  it("drops odd decorative metadata instead of failing the element", () => {
    const r = normaliseContent({ ...content, extraMetadata: "weird", partners: "Yale", difficultyLevel: "EXPERT" });
    expect(r.ok && r.value).toMatchObject({ imageUrl: null, durationMinutes: null, partners: [], level: null });
  });
});

const enrollment = {
  id: "ada@example.com~prog1~rUHf",
  programId: "prog1",
  externalId: "ada@example.com",
  email: "ada@example.com",
  fullName: "Ada Lovelace",
  contentId: "rUHf",
  contentType: "Course",
  contentName: "Well-Being",
  membershipState: "MEMBER",
  enrolledAt: 1568138449555,
  lastActivityAt: 1569229361000,
  isCompleted: true,
  completedAt: 1568748366896,
  overallProgress: 100,
  grade: 0.9223,
  approxTotalCourseHrs: 2.98,
};

describe("normaliseEnrollment", () => {
  it("converts grade, hours and timestamps", () => {
    const r = normaliseEnrollment(enrollment);
    expect(r.ok && r.value).toEqual({
      recordId: "ada@example.com~prog1~rUHf",
      externalId: "ada@example.com",
      email: "ada@example.com",
      fullName: "Ada Lovelace",
      programId: "prog1",
      contentId: "rUHf",
      contentType: "COURSE",
      contentName: "Well-Being",
      enrolledAt: new Date(1568138449555),
      lastActivityAt: new Date(1569229361000),
      isCompleted: true,
      completedAt: new Date(1568748366896),
      progressPercent: 100,
      scorePercent: 92.23,
      timeSpentMinutes: 179,
      membershipState: "MEMBER",
    });
  });

  it("reads an enrolled-only record: activity 0 is never, no grade, no hours", () => {
    const r = normaliseEnrollment({
      ...enrollment,
      lastActivityAt: 0,
      isCompleted: false,
      completedAt: undefined,
      overallProgress: 0,
      grade: null,
      approxTotalCourseHrs: undefined,
    });
    expect(r.ok && r.value).toMatchObject({
      lastActivityAt: null,
      isCompleted: false,
      completedAt: null,
      progressPercent: 0,
      scorePercent: null,
      timeSpentMinutes: null,
    });
  });

  it("uses approxTotalLearningHours for videos and clamps progress", () => {
    const r = normaliseEnrollment({
      ...omit(enrollment, "approxTotalCourseHrs"),
      contentType: "Video",
      approxTotalLearningHours: 0.5,
      overallProgress: 140,
    });
    expect(r.ok && r.value).toMatchObject({ contentType: "VIDEO", timeSpentMinutes: 30, progressPercent: 100 });
  });

  it("treats a grade above 1 as a percentage already", () => {
    expect(gradeToPercent(0.9)).toBe(90);
    expect(gradeToPercent(1)).toBe(100);
    expect(gradeToPercent(87.5)).toBe(87.5);
    expect(gradeToPercent(120)).toBe(100);
    expect(gradeToPercent(null)).toBeNull();
  });

  it("builds a record id when the payload has none", () => {
    const r = normaliseEnrollment(omit(enrollment, "id"));
    expect(r.ok && r.value.recordId).toBe("ada@example.com~prog1~rUHf");
  });

  it("rejects a record without contentId or with unreadable progress", () => {
    expect(normaliseEnrollment(omit(enrollment, "contentId"))).toEqual({ ok: false, id: enrollment.id, reason: "contentId is missing" });
    expect(normaliseEnrollment({ ...enrollment, overallProgress: "most of it" })).toEqual({
      ok: false,
      id: enrollment.id,
      reason: "overallProgress is not a number",
    });
  });
});

describe("normaliseProgram", () => {
  it("accepts contentIds as objects or strings", () => {
    const r = normaliseProgram({
      id: "prog1",
      name: "Acme Learning",
      url: "https://www.coursera.org/programs/acme",
      contentIds: [{ contentId: "a", contentType: "Course" }, "b", { contentId: "a" }, {}, null],
    });
    expect(r.ok && r.value).toEqual({
      programId: "prog1",
      name: "Acme Learning",
      tagline: null,
      url: "https://www.coursera.org/programs/acme",
      contentIds: ["a", "b"],
    });
    expect(normaliseProgram({ id: "p" })).toEqual({ ok: false, id: "p", reason: "missing name" });
  });
});
