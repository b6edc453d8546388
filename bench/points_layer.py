"""add_layer JSON-RPC bodies: a GeoJSON FeatureCollection of 20,000 points (~2.6 MB), one file per session.

    python3 points_layer.py OUT_DIR SESSION_ID...    # writes OUT_DIR/<session>.json; post with curl --data-binary @file
"""
import json, os, random, sys

out_dir, sessions, count = sys.argv[1], sys.argv[2:], int(os.environ.get("POINTS", "20000"))
rng = random.Random(42)
features = [{"type": "Feature",
             "geometry": {"type": "Point", "coordinates": [round(rng.uniform(-180, 180), 6), round(rng.uniform(-85, 85), 6)]},
             "properties": {"name": f"point {i:05d}", "value": round(rng.uniform(0, 1000), 2)}}
            for i in range(count)]
collection = json.dumps({"type": "FeatureCollection", "features": features}, separators=(",", ":"))
for session in sessions:
    arguments = json.dumps({"session_id": session, "layer_id": "points", "title": f"{count} points"})[:-1]
    with open(os.path.join(out_dir, f"{session}.json"), "w") as body:
        body.write('{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"add_layer","arguments":'
                   f'{arguments},"source":{{"type":"geojson","data":{collection}}}}}}}}}')
