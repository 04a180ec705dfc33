CREATE TABLE "Quoted ""Name""" ("Col" int, x int REFERENCES "Quoted ""Name"""("Col"));
ALTER TABLE "Quoted ""Name""" RENAME TO plain;
