-- Issue #13: a home's 待办 lists the account's recent imports that skipped rows with
-- problems, and the import page lists its recent imports: both read the audit log's
-- `import` entries of one account, which this index finds without the many other entries
-- (an import of a roll writes one per changed row).
CREATE INDEX audit_log_imports ON audit_log(county, actor, at) WHERE action = 'import';
