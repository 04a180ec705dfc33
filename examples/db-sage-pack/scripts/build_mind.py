"""Build outputs/minds/{slug}/profile.yaml and a session record."""
import json
import sys
import yaml

slug = sys.argv[1]
with open(f"data/interviews/{slug}.md") as f:
    text = f.read()
profile = {"slug": slug, "name": slug.replace("-", " ").title(), "words": len(text.split())}
with open(f"outputs/minds/{slug}/profile.yaml", "w") as out:
    yaml.dump(profile, out)
with open(f"outputs/minds/{slug}/sessions/{sys.argv[2]}.json", "w") as out:
    json.dump({"mind_slug": slug, "status": "completed"}, out)
