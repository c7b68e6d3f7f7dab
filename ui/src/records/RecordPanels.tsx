import { useModules } from "../shell/moduleContext";

/**
 * Every registered module's sections for a record of `recordType` (see `RecordPanel` in
 * src/shell/module.ts): a customer's page shows the calendar's events and tasks without either
 * module knowing the other.
 */
export function RecordPanels({ recordType, recordId, readOnly }: { recordType: string; recordId: string; readOnly: boolean }) {
  const modules = useModules();
  return (
    <>
      {modules.flatMap((m) =>
        (m.recordPanels ?? [])
          .filter((p) => p.recordType === recordType)
          .map((p, i) => <p.Panel key={`${m.id}-${i}`} recordId={recordId} readOnly={readOnly} />),
      )}
    </>
  );
}
