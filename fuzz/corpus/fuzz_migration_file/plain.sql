CREATE TABLE b (x text);
  
