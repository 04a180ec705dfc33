-- ban-drop-database: flagged
DROP DATABASE staging; -- expect: ban-drop-database
