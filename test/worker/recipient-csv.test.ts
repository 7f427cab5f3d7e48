import { describe, expect, it } from "vitest";
import { api, createCampaign, expectNothingWritten, postJson, snapshotOf } from "./helpers.ts";

async function listPhones(id: string) {
  const res = await api(`/api/campaigns/${id}/recipients?limit=500`);
  const body = await res.json<{
    recipients: Array<{ phone: string; name: string | null; vars: unknown }>;
  }>();
  return body.recipients;
}

function uploadCsv(id: string, offset: number, csv: string) {
  return api(`/api/campaigns/${id}/recipients?offset=${offset}`, {
    method: "POST",
    headers: { "Content-Type": "text/csv; charset=utf-8" },
    body: csv,
  });
}

describe("recipients as CSV", () => {
  it("should create a campaign from CSV with a BOM, semicolons and extra columns", async () => {
    const csv =
      '\uFEFFPhone;Name;city\r\n+1 555 000 1111;Ana;Lisbon\r\n\r\n15550002222;"Bo; Jr";Porto\r\n';
    const res = await postJson("/api/campaigns", {
      name: "CSV",
      message: "Hi {{name}} in {{city}}",
      csv,
    });
    expect(res.status).toBe(201);
    const { id } = await res.json<{ id: string }>();
    expect(await listPhones(id)).toEqual([
      expect.objectContaining({ phone: "15550001111", name: "Ana", vars: { city: "Lisbon" } }),
      expect.objectContaining({ phone: "15550002222", name: "Bo; Jr", vars: { city: "Porto" } }),
    ]);
  });

  it("should report bad rows by file line and save nothing", async () => {
    const csv = "phone,name\n15550001111,Ana\n12,Bo\n15550001111,Cy\n";
    const res = await expectNothingWritten(() =>
      postJson("/api/campaigns", { name: "CSV", message: "Hi", csv }),
    );
    const body = await res.json<{
      error: { code: string; details: Array<{ line: number; reason: string }> };
    }>();
    expect(res.status).toBe(400);
    expect(body.error.details.map((d) => d.line)).toEqual([3, 4]);
    expect(body.error.details[1]!.reason).toContain("same phone");
  });

  it.each([
    ["no phone column", "name\nAna\n"],
    ["a header only", "phone,name\n"],
    ["a row with too many fields", "phone,name\n15550001111,Ana,extra\n"],
    ["an unclosed quote", 'phone,name\n15550001111,"Ana\n'],
  ])("should refuse a CSV with %s", async (_, csv) => {
    const res = await expectNothingWritten(() =>
      postJson("/api/campaigns", { name: "CSV", message: "Hi", csv }),
    );
    const body = await res.json<{ error: { code: string; message: string } }>();
    expect(res.status).toBe(400);
    expect(body.error.code).toBe("invalid_csv");
  });

  it("should append a CSV chunk at an offset, with lines in errors", async () => {
    const { id } = await createCampaign(2);
    const ok = await uploadCsv(id, 2, "phone,name\n15550009001,X\n15550009002,Y\n");
    expect(await ok.json()).toEqual({ total: 4 });
    const bad = await uploadCsv(id, 4, "phone,name\n15550009003,Z\nnope,W\n");
    const body = await bad.json<{ error: { details: Array<{ line: number; field: string }> } }>();
    expect(body.error.details).toEqual([expect.objectContaining({ line: 3, field: "phone" })]);
    expect((await snapshotOf(id)).counts.total).toBe(4);
    expect((await uploadCsv(id, 4, "phone,name\n15550009004,Q\n")).status).toBe(201);
  });

  it("should ask for the offset of a CSV chunk", async () => {
    const { id } = await createCampaign(1);
    const res = await api(`/api/campaigns/${id}/recipients`, {
      method: "POST",
      headers: { "Content-Type": "text/csv" },
      body: "phone\n15550009009\n",
    });
    expect(res.status).toBe(400);
  });
});
