import { describe, expect, it } from "vitest";
import { isAllowedCourseraUrl } from "@/lib/coursera/urls";

describe("isAllowedCourseraUrl", () => {
  const sandbox = ["http://127.0.0.1:*"];
  const exact = ["http://localhost:4010"];

  it.each([
    ["https://www.coursera.org/programs/acme/learn/python", "launch", []],
    ["https://d3njjcbhbojbot.cloudfront.net/api/utilities/v1/imageproxy/x.png", "image", []],
    ["https://images.coursera.org/x.png", "image", []],
    ["http://127.0.0.1:40123/programs/x", "launch", sandbox],
    ["http://localhost:4010/programs/x", "launch", exact],
  ] as const)("allows %s", (url, kind, origins) => {
    expect(isAllowedCourseraUrl(url, kind, origins)).toBe(true);
  });

  it.each([
    ["https://evil.example/x", "launch", sandbox],
    ["javascript:alert(1)", "launch", sandbox],
    ["https://www.coursera.org@evil.example/x", "launch", []],
    ["http://127.0.0.1:4010@evil.example/x", "launch", sandbox],
    ["http://127.0.0.10:4010/x", "launch", sandbox],
    ["http://localhost:4011/programs/x", "launch", exact],
    ["http://www.coursera.org/x", "launch", []],
    ["https://www.coursera.org:8443/x", "launch", []],
    [" https://www.coursera.org/x", "launch", []],
    ["https://images.coursera.org/x.png", "launch", []],
  ] as const)("refuses %s", (url, kind, origins) => {
    expect(isAllowedCourseraUrl(url, kind, origins)).toBe(false);
  });
});
