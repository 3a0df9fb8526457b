import { useId, type SelectHTMLAttributes } from "react";

/** A labelled native select (keyboard and screen-reader friendly by construction). */
export function SelectField({
  label,
  options,
  className,
  id,
  ...props
}: SelectHTMLAttributes<HTMLSelectElement> & { label: string; options: { value: string; label: string }[] }) {
  const generated = useId();
  const selectId = id ?? generated;
  return (
    <div className={className}>
      <label htmlFor={selectId} className="block text-sm font-medium text-slate-800">
        {label}
      </label>
      <select id={selectId} className="mt-1 block w-full rounded-md border border-slate-300 bg-white px-3 py-2 text-sm" {...props}>
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    </div>
  );
}
