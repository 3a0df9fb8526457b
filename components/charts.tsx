"use client";

import { Bar, BarChart, CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";

/**
 * Recharts wrappers with the app's palette. Each chart is a figure with a
 * caption, and its data is also offered as a table for screen readers: the
 * SVG is hidden from them, and Recharts' keyboard layer is off so that nothing
 * focusable hides inside aria-hidden.
 */

const PALETTE = ["#0056d2", "#059669", "#d97706", "#dc2626", "#7c3aed", "#0891b2"];

export interface Series {
  key: string;
  label: string;
}

function DataTableFallback<T extends Record<string, unknown>>({
  caption,
  data,
  xKey,
  series,
}: {
  caption: string;
  data: T[];
  xKey: keyof T & string;
  series: Series[];
}) {
  return (
    <table className="sr-only">
      <caption>{caption}</caption>
      <thead>
        <tr>
          <th scope="col">{xKey}</th>
          {series.map((s) => (
            <th key={s.key} scope="col">
              {s.label}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {data.map((row, i) => (
          <tr key={i}>
            <th scope="row">{String(row[xKey])}</th>
            {series.map((s) => (
              <td key={s.key}>{String(row[s.key] ?? "")}</td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function BarChartFigure<T extends Record<string, unknown>>({
  title,
  data,
  xKey,
  series,
  stacked = false,
  height = 240,
}: {
  title: string;
  data: T[];
  xKey: keyof T & string;
  series: Series[];
  stacked?: boolean;
  height?: number;
}) {
  return (
    <figure className="rounded-lg border border-slate-200 bg-white p-4">
      <figcaption className="mb-2 text-sm font-medium">{title}</figcaption>
      <div aria-hidden="true" style={{ height }}>
        <ResponsiveContainer width="100%" height="100%">
          <BarChart accessibilityLayer={false} data={data} margin={{ top: 4, right: 8, left: 0, bottom: 4 }}>
            <CartesianGrid strokeDasharray="3 3" stroke="#e2e8f0" />
            <XAxis dataKey={xKey as string} tick={{ fontSize: 12, fill: "#475569" }} />
            <YAxis allowDecimals={false} tick={{ fontSize: 12, fill: "#475569" }} width={48} />
            <Tooltip />
            {series.length > 1 && <Legend wrapperStyle={{ fontSize: 12 }} />}
            {series.map((s, i) => (
              <Bar
                key={s.key}
                dataKey={s.key}
                name={s.label}
                fill={PALETTE[i % PALETTE.length]}
                stackId={stacked ? "stack" : undefined}
                isAnimationActive={false}
              />
            ))}
          </BarChart>
        </ResponsiveContainer>
      </div>
      <DataTableFallback caption={title} data={data} xKey={xKey} series={series} />
    </figure>
  );
}

export function LineChartFigure<T extends Record<string, unknown>>({
  title,
  data,
  xKey,
  series,
  height = 240,
}: {
  title: string;
  data: T[];
  xKey: keyof T & string;
  series: Series[];
  height?: number;
}) {
  return (
    <figure className="rounded-lg border border-slate-200 bg-white p-4">
      <figcaption className="mb-2 text-sm font-medium">{title}</figcaption>
      <div aria-hidden="true" style={{ height }}>
        <ResponsiveContainer width="100%" height="100%">
          <LineChart accessibilityLayer={false} data={data} margin={{ top: 4, right: 8, left: 0, bottom: 4 }}>
            <CartesianGrid strokeDasharray="3 3" stroke="#e2e8f0" />
            <XAxis dataKey={xKey as string} tick={{ fontSize: 12, fill: "#475569" }} />
            <YAxis tick={{ fontSize: 12, fill: "#475569" }} width={48} />
            <Tooltip />
            {series.length > 1 && <Legend wrapperStyle={{ fontSize: 12 }} />}
            {series.map((s, i) => (
              <Line
                key={s.key}
                type="monotone"
                dataKey={s.key}
                name={s.label}
                stroke={PALETTE[i % PALETTE.length]}
                strokeWidth={2}
                dot={{ r: 2 }}
                isAnimationActive={false}
              />
            ))}
          </LineChart>
        </ResponsiveContainer>
      </div>
      <DataTableFallback caption={title} data={data} xKey={xKey} series={series} />
    </figure>
  );
}
