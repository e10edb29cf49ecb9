import { describe, expect, it } from "vitest";
import { perToken } from "./model-list.js";

describe("perToken", () => {
  it("converts USD per million tokens to USD per token without float noise", () => {
    expect(perToken(0.6)).toBe(6e-7);
    expect(perToken(2.2)).toBe(0.0000022);
    expect(perToken(0.075)).toBe(7.5e-8);
    expect(perToken(15)).toBe(0.000015);
    expect(perToken(0)).toBe(0);
    expect(0.1 / 1e6).toBe(1.0000000000000001e-7); // what plain division gives
    expect(perToken(0.1)).toBe(1e-7);
    expect(perToken(0.025)).toBe(2.5e-8);
  });
  it("handles prices JavaScript prints in exponent notation", () => {
    expect(perToken(1e-7)).toBeCloseTo(1e-13, 20);
  });
});
