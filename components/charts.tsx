"use client";

import { Bar, BarChart, CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { formatChartTime, timeDomain, timeTickFormatter, timeTicks } from "@/components/chart-time";

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
  xLabel = xKey,
  formatX = String,
  series,
}: {
  caption: string;
  data: T[];
  xKey: keyof T & string;
  xLabel?: string;
  formatX?: (value: T[keyof T & string]) => string;
  series: Series[];
}) {
  return (
    <table className="sr-only">
      <caption>{caption}</caption>
      <thead>
        <tr>
          <th scope="col">{xLabel}</th>
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
            <th scope="row">{formatX(row[xKey])}</th>
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

/**
 * Values over a real time axis (x: epoch milliseconds in `timeKey`), ticks and
 * labels in `timeZone`: runs sit where they happened, however many there are.
 * Every point is drawn as a dot, so a single run is visible; a series missing
 * at a point (another kind's run) is bridged.
 */
export function TimeSeriesChartFigure<T extends Record<string, unknown>>({
  title,
  data,
  timeKey,
  timeZone,
  series,
  height = 240,
}: {
  title: string;
  data: T[];
  timeKey: keyof T & string;
  timeZone: string;
  series: Series[];
  height?: number;
}) {
  const domain = timeDomain(data.map((row) => Number(row[timeKey])));
  const dotRadius = data.length > 60 ? 1.5 : 3;
  return (
    <figure className="rounded-lg border border-slate-200 bg-white p-4" data-testid="time-chart">
      <figcaption className="mb-2 text-sm font-medium">{title}</figcaption>
      <div aria-hidden="true" style={{ height }}>
        <ResponsiveContainer width="100%" height="100%">
          <LineChart accessibilityLayer={false} data={data} margin={{ top: 4, right: 16, left: 0, bottom: 4 }}>
            <CartesianGrid strokeDasharray="3 3" stroke="#e2e8f0" />
            <XAxis
              dataKey={timeKey as string}
              type="number"
              scale="time"
              domain={domain}
              ticks={timeTicks(domain, timeZone)}
              tickFormatter={timeTickFormatter(domain, timeZone)}
              tick={{ fontSize: 12, fill: "#475569" }}
              allowDataOverflow
            />
            <YAxis allowDecimals={false} tick={{ fontSize: 12, fill: "#475569" }} width={48} />
            <Tooltip labelFormatter={(t) => formatChartTime(Number(t), timeZone)} />
            {series.length > 1 && <Legend wrapperStyle={{ fontSize: 12 }} />}
            {series.map((s, i) => (
              <Line
                key={s.key}
                type="linear"
                dataKey={s.key}
                name={s.label}
                stroke={PALETTE[i % PALETTE.length]}
                strokeWidth={2}
                dot={{ r: dotRadius, fill: PALETTE[i % PALETTE.length] }}
                connectNulls
                isAnimationActive={false}
              />
            ))}
          </LineChart>
        </ResponsiveContainer>
      </div>
      <DataTableFallback
        caption={title}
        data={data}
        xKey={timeKey}
        xLabel="Started"
        formatX={(t) => formatChartTime(Number(t), timeZone)}
        series={series}
      />
    </figure>
  );
}
