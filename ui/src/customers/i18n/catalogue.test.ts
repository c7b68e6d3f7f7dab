/**
 * The customers' own catalogues: keys the code builds from its closed sets of values (stages,
 * kinds, …) must all be there. Both languages having the same keys, and the catalogues merging
 * into the shell's without clashes, is checked for every module by src/i18n/i18n.test.ts.
 */
import { describe, expect, it } from "vitest";
import { flatten, hasKey } from "../../test/catalogues";
import { ACTIVITY_KINDS } from "../activities";
import { ADDRESS_PARTS, CONTACT_LABELS } from "../formState";
import { IMPORT_FIELDS, NAMED_DIALECTS, TEXT_ENCODINGS } from "../importMapping";
import { customersModule } from "../module";
import { KINDS, MATCH_FIELDS, STAGES } from "../stages";
import en from "./en.json";
import zhCN from "./zh-CN.json";

describe("the customers' translation catalogues", () => {
  it("are the ones the module registers", () => {
    expect(customersModule.translations).toEqual({ en, "zh-CN": zhCN });
  });

  it("contain every key built from a closed set of values", () => {
    const keys = flatten(en);
    const wanted = [
      ...STAGES.map((s) => `stage.${s}`),
      ...KINDS.map((k) => `kind.${k}`),
      ...ACTIVITY_KINDS.map((k) => `activityKind.${k}`),
      ...MATCH_FIELDS.map((m) => `match.${m}`),
      ...CONTACT_LABELS.map((l) => `label.${l}`),
      ...ADDRESS_PARTS.map((p) => `address.${p}`),
      ...IMPORT_FIELDS.map((f) => `importField.${f}`),
      ...TEXT_ENCODINGS.map((e) => `importEncoding.${e}`),
      ...NAMED_DIALECTS.map((d) => `importDialect.${d}`),
      ...["team", "private"].map((v) => `visibility.${v}`),
      ...["csv", "vcard4", "vcard3"].map((f) => `export.${f}`),
      ...["customers", "trash", "duplicates"].map((n) => `nav.${n}`),
      ...["name", "company", "stage", "owner", "tags", "email", "phone", "updated"].map((c) => `column.${c}`),
    ];
    expect(wanted.filter((k) => !hasKey(keys, k))).toEqual([]);
  });

  it("use the agreed stage names", () => {
    expect(Object.values(en.stage)).toEqual(["Lead", "First touch", "Contacted", "Won", "Retained", "Lapsing"]);
    expect(Object.values(zhCN.stage)).toEqual(["线索", "初识", "接触", "赢得", "保持", "退化"]);
  });
});
