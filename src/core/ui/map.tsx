import { geoMercator, geoPath } from "d3-geo";
import type { Feature, FeatureCollection, Geometry } from "geojson";

export interface MapArea {
  code: string;
  name: string;
  geometry: unknown;
  /** CSS class of the fill (a group or a choropleth class), never an inline style (CSP). */
  className: string;
  /** Text of the area's tooltip and accessible name. */
  label: string;
  href?: string;
}

/**
 * How each group (`group-0` … `group-3`) is drawn, in words: a colour and a motif, so that groups
 * never differ by colour alone (RGAA 3.1, WCAG 1.4.1). Use it in the map's description.
 */
export const GROUP_MOTIFS = ["aplat vert", "hachures orange", "points bleus", "quadrillage rose"] as const;

/** The motifs of groups 1 to 3, as SVG patterns filled through CSS (`fill: url(#motif-N)`). */
function MotifPatterns() {
  return (
    <defs>
      <pattern id="motif-1" width="8" height="8" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">
        <rect width="8" height="8" class="group-1" />
        <line x1="4" y1="0" x2="4" y2="8" class="motif-line" />
      </pattern>
      <pattern id="motif-2" width="6" height="6" patternUnits="userSpaceOnUse">
        <rect width="6" height="6" class="group-2" />
        <circle cx="3" cy="3" r="1.2" class="motif-dot" />
      </pattern>
      <pattern id="motif-3" width="7" height="7" patternUnits="userSpaceOnUse">
        <rect width="7" height="7" class="group-3" />
        <path d="M0 0.5H7M0.5 0V7" class="motif-line" />
      </pattern>
    </defs>
  );
}

/** An SVG map of areas (communes), projected to fit the box; its legend and table come with it. */
export function AreaMap(props: { areas: MapArea[]; title: string; description: string; width?: number; height?: number; attribution: string }) {
  const width = props.width ?? 640;
  const height = props.height ?? 480;
  const features: Feature<Geometry, { i: number }>[] = props.areas.map((a, i) => ({ type: "Feature", geometry: a.geometry as Geometry, properties: { i } }));
  const collection: FeatureCollection<Geometry, { i: number }> = { type: "FeatureCollection", features };
  const projection = geoMercator().fitExtent(
    [
      [8, 8],
      [width - 8, height - 8],
    ],
    collection,
  );
  // One decimal is a tenth of a pixel: plenty on screen and in print, and it halves the page weight.
  const path = geoPath(projection).digits(1);
  return (
    <figure class="map">
      <svg viewBox={`0 0 ${width} ${height}`} role="img" aria-labelledby="map-title map-desc" class="map-svg">
        <title id="map-title">{props.title}</title>
        <desc id="map-desc">{props.description}</desc>
        <MotifPatterns />
        {features.map((f) => {
          const a = props.areas[f.properties.i];
          const d = path(f) ?? "";
          const shape = (
            <path d={d} class={`map-area ${a.className}`}>
              <title>{a.label}</title>
            </path>
          );
          return a.href ? <a href={a.href}>{shape}</a> : shape;
        })}
      </svg>
      <figcaption class="map-attribution">{props.attribution}</figcaption>
    </figure>
  );
}
