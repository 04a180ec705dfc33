-- personalities_seed.sql — the built-in personalities
INSERT INTO personality_categories (name, description) VALUES
    ('Robbie', 'the Robbie family'),
    ('Mentors', 'historic mentors'),
    ('Pros', 'professional personas');
INSERT INTO moods (name) VALUES ('friendly'), ('focused'), ('playful'), ('bossy'), ('surprised'), ('blushing');
