"""Make the England LA map's boundary file: ONS Dec 2023 counties and UAs, simplified for a small map.

`python -m pipelines.simplify_boundaries SOURCE.geo.json \
    vocabulary/reference/boundaries/england_las_2023.geojson`
keeps England's 153 upper-tier LAs (codes E...), simplifies each ring with Douglas-Peucker at 0.01
degrees (about 1 km: a national map's scale), drops rings that collapse, rounds to 3 decimals and
keeps only the code and the name."""

from __future__ import annotations

import json
import sys
from pathlib import Path

TOLERANCE = 0.01  # degrees


def _distance(p, a, b) -> float:
    (x, y), (x1, y1), (x2, y2) = p, a, b
    dx, dy = x2 - x1, y2 - y1
    if dx == dy == 0:
        return ((x - x1) ** 2 + (y - y1) ** 2) ** 0.5
    t = max(0.0, min(1.0, ((x - x1) * dx + (y - y1) * dy) / (dx * dx + dy * dy)))
    return ((x - x1 - t * dx) ** 2 + (y - y1 - t * dy) ** 2) ** 0.5


def simplify(points: list, tolerance: float = TOLERANCE) -> list:
    """Douglas-Peucker, iterative (rings have thousands of points)."""
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    while stack:
        first, last = stack.pop()
        best, index = 0.0, None
        for i in range(first + 1, last):
            d = _distance(points[i], points[first], points[last])
            if d > best:
                best, index = d, i
        if index is not None and best > tolerance:
            keep[index] = True
            stack += [(first, index), (index, last)]
    return [p for p, k in zip(points, keep, strict=True) if k]


def _ring(ring: list) -> list | None:
    out = [[round(x, 3), round(y, 3)] for x, y in simplify([tuple(p[:2]) for p in ring])]
    return out if len(out) >= 4 else None


def make(source: Path, target: Path) -> int:
    data = json.loads(source.read_text(encoding="utf-8"))
    features = []
    for f in data["features"]:
        code = f["properties"]["CTYUA23CD"]
        if not code.startswith("E"):
            continue
        geometry = f["geometry"]
        polygons = (
            geometry["coordinates"] if geometry["type"] == "MultiPolygon" else [geometry["coordinates"]]
        )
        kept = [[r for r in map(_ring, polygon[:1]) if r] for polygon in polygons]  # outer rings only
        kept = [p for p in kept if p]
        if not kept:
            raise ValueError(f"{source}: {code} has no ring left after simplifying")
        features.append(
            {
                "type": "Feature",
                "properties": {"code": code, "name": f["properties"]["CTYUA23NM"]},
                "geometry": {"type": "MultiPolygon", "coordinates": kept},
            }
        )
    target.write_text(json.dumps({"type": "FeatureCollection", "features": features}, separators=(",", ":")))
    return len(features)


if __name__ == "__main__":
    print(make(Path(sys.argv[1]), Path(sys.argv[2])), "areas written")
