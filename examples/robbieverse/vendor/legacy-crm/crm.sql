-- vendored legacy CRM: must be skipped
CREATE TABLE companies (id INTEGER PRIMARY KEY, name TEXT);
