import { brotliDecompressSync, gunzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { PageCache } from "./cache.ts";

describe("PageCache", () => {
  it("keys entries by ETag and URL, so a new content version never hits an old entry", () => {
    const cache = new PageCache(10);
    cache.set('W/"1-a"', "/t/x", "<p>v1</p>", "text/html");
    expect(cache.get('W/"1-a"', "/t/x")?.body).toBe("<p>v1</p>");
    expect(cache.get('W/"2-a"', "/t/x")).toBeUndefined();
    expect(cache.get('W/"1-a"', "/t/y")).toBeUndefined();
  });

  it("stays bounded, evicting the least recently used entry", () => {
    const cache = new PageCache(2);
    cache.set("e", "/a", "a", "t");
    cache.set("e", "/b", "b", "t");
    cache.get("e", "/a");
    cache.set("e", "/c", "c", "t");
    expect(cache.get("e", "/b")).toBeUndefined();
    expect(cache.get("e", "/a")?.body).toBe("a");
    expect(cache.get("e", "/c")?.body).toBe("c");
  });

  it("compresses once, on demand, and not small bodies", () => {
    const cache = new PageCache(5);
    const big = cache.set("e", "/big", "<p>Collines de Normandie</p>".repeat(200), "text/html");
    const br = big.compressed("br")!;
    expect(br.encoding).toBe("br");
    expect(brotliDecompressSync(br.body).toString()).toBe(big.body);
    expect(big.compressed("br")!.body).toBe(br.body);
    expect(gunzipSync(big.compressed("gzip")!.body).toString()).toBe(big.body);
    expect(cache.set("e", "/small", "petit", "text/plain").compressed("gzip")).toBeUndefined();
  });
});
