-- 0012 job title and department: what a person does and where, as Outlook ("Job Title",
-- "Department"), Google ("Organization Title", "Organization Department") and vCard (TITLE, the
-- unit of ORG) keep them. Plain columns of the record, so they sync, merge and show in history
-- like its other fields; empty for companies and for everyone recorded before.
ALTER TABLE customers ADD COLUMN job_title TEXT NOT NULL DEFAULT '';
ALTER TABLE customers ADD COLUMN department TEXT NOT NULL DEFAULT '';
