CREATE TABLE t (a, b, c);
CREATE TABLE t (a);
