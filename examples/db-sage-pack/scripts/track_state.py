"""Keep the pipeline state."""
import json

with open("state/pipeline.json") as f:
    state = json.load(f)
state["runs"] += 1
with open("state/pipeline.json", "w") as f:
    json.dump(state, f)
