//! Fitting outlines as a designer draws them: corners kept sharp, straight runs as lines
//! (snapped to the axes when nearly level or plumb), circular runs as arcs, and smooth
//! cubic Béziers elsewhere, tangent-continuous where they join.

use super::regions::P;

/// One piece of a fitted outline; it starts where the previous one ended.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Seg {
    Line(P),
    Cubic(P, P, P),
    /// An elliptical arc (SVG's): radii `rx` and `ry`, the x axis turned by `rotation`
    /// degrees, the `large-arc` and `sweep` flags, to `to`. A circular one has `rx == ry`.
    Arc {
        rx: f64,
        ry: f64,
        rotation: f64,
        large: bool,
        sweep: bool,
        to: P,
    },
}

impl Seg {
    pub fn end(&self) -> P {
        match *self {
            Seg::Line(p) | Seg::Cubic(_, _, p) | Seg::Arc { to: p, .. } => p,
        }
    }
}

/// A fitted outline piece: a start point and the segments from it.
#[derive(Debug, Clone, PartialEq)]
pub struct Fitted {
    pub start: P,
    pub segs: Vec<Seg>,
}

impl Fitted {
    /// The same outline drawn the other way.
    pub fn reversed(&self) -> Fitted {
        let mut starts = vec![self.start];
        starts.extend(self.segs.iter().map(Seg::end));
        let segs = self
            .segs
            .iter()
            .enumerate()
            .rev()
            .map(|(i, s)| match *s {
                Seg::Line(_) => Seg::Line(starts[i]),
                Seg::Cubic(a, b, _) => Seg::Cubic(b, a, starts[i]),
                Seg::Arc {
                    rx,
                    ry,
                    rotation,
                    large,
                    sweep,
                    ..
                } => Seg::Arc {
                    rx,
                    ry,
                    rotation,
                    large,
                    sweep: !sweep,
                    to: starts[i],
                },
            })
            .collect();
        Fitted {
            start: *starts.last().expect("start"),
            segs,
        }
    }
}

/// How closely to fit.
#[derive(Debug, Clone, Copy)]
pub struct FitOptions {
    /// Largest distance, in pixels, of a point from its fitted curve.
    pub tolerance: f64,
    /// Largest distance, in pixels, of a piece's points from a line or circle for the
    /// piece to be drawn as one (a little under `tolerance` for clean edges; more for
    /// noisy ones, whose long straight edges should stay straight).
    pub shape: f64,
    /// Turns sharper than this (radians) over a few pixels are corners.
    pub corner: f64,
    /// Lines within this angle (radians) of level or plumb are made exactly so.
    pub snap: f64,
}

/// Fit `points`: an open chain whose first and last points stay where they are, or with
/// `closed`, a loop.
pub fn fit(points: &[P], closed: bool, opts: &FitOptions) -> Fitted {
    let pts = dedup(points, closed);
    if pts.len() < 2 || (closed && pts.len() < 3) {
        let start = pts.first().copied().unwrap_or([0.0, 0.0]);
        return Fitted {
            start,
            segs: vec![Seg::Line(*pts.last().unwrap_or(&start))],
        };
    }
    if closed {
        fit_loop(&pts, opts)
    } else {
        let n = pts.len();
        let mut corners = find_corners(&pts, false, opts);
        corners.retain(|&c| c > 0 && c < n - 1);
        let mut cuts = vec![0];
        cuts.extend(corners);
        cuts.push(n - 1);
        fit_pieces(&pts, &cuts, false, opts)
    }
}

fn fit_loop(pts: &[P], opts: &FitOptions) -> Fitted {
    let corners = find_corners(pts, true, opts);
    if corners.is_empty() {
        if let Some(f) = full_circle(pts, opts).or_else(|| full_ellipse(pts, opts)) {
            return f;
        }
        // A smooth loop: one spline from point 0 back to it, the same tangent at both.
        let mut ring: Vec<P> = pts.to_vec();
        ring.push(pts[0]);
        let ring = smooth(&ring);
        let t = tangent_at(pts, 0, true);
        let mut segs = Vec::new();
        fit_cubics(&ring, t, neg(t), opts.tolerance, &mut segs, 0);
        return Fitted {
            start: ring[0],
            segs,
        };
    }
    // Rotate to start at a corner; the loop then ends at that corner.
    let first = corners[0];
    let mut ring: Vec<P> = pts[first..].to_vec();
    ring.extend_from_slice(&pts[..first]);
    ring.push(pts[first]);
    let mut cuts: Vec<usize> = corners.iter().map(|c| c - first).collect();
    cuts.push(ring.len() - 1);
    fit_pieces(&ring, &cuts, true, opts)
}

/// A piece between two corners, classified before curves are fitted.
enum Piece {
    Line { dir: P, through: P },
    Arc { centre: P, r: f64 },
    Curve,
}

/// Make lines that meet at nearly a right angle (within `opts.snap`) meet at exactly
/// one: the shorter turns about its middle to be square to the longer, when its points
/// stay within `opts.tolerance` of it. Longer lines are settled first, and a line turned
/// or turned to (or level or plumb already) is not turned again, so a slanted rectangle
/// comes out square.
fn square_corners(
    pieces: &mut [Piece],
    pts: &[P],
    cuts: &[usize],
    closed: bool,
    opts: &FitOptions,
) {
    let n = pieces.len();
    let length = |i: usize| dist(pts[cuts[i]], pts[cuts[i + 1]]);
    let mut fixed: Vec<bool> = (pieces.iter())
        .map(|p| matches!(p, Piece::Line { dir, .. } if dir[0] == 0.0 || dir[1] == 0.0))
        .collect();
    let mut pairs: Vec<(usize, usize)> = (0..n.saturating_sub(1)).map(|i| (i, i + 1)).collect();
    if closed && n > 2 {
        pairs.push((n - 1, 0));
    }
    pairs.sort_by(|a, b| {
        let long = |(i, j): (usize, usize)| length(i).max(length(j));
        long(*b).total_cmp(&long(*a)).then(a.cmp(b))
    });
    for (i, j) in pairs {
        let (Piece::Line { dir: di, .. }, Piece::Line { dir: dj, .. }) = (&pieces[i], &pieces[j])
        else {
            continue;
        };
        let angle = cross(*di, *dj).abs().atan2(dot(*di, *dj).abs());
        if (angle - std::f64::consts::FRAC_PI_2).abs() > opts.snap {
            continue;
        }
        let (keep, turn) = if length(i) >= length(j) {
            (i, j)
        } else {
            (j, i)
        };
        let (keep, turn) = match (fixed[keep], fixed[turn]) {
            (_, false) => (keep, turn),
            (false, true) => (turn, keep),
            (true, true) => continue,
        };
        let Piece::Line { dir: reference, .. } = pieces[keep] else {
            continue;
        };
        let Piece::Line { dir, through } = pieces[turn] else {
            continue;
        };
        let square = [-reference[1], reference[0]];
        let square = if dot(square, dir) < 0.0 {
            neg(square)
        } else {
            square
        };
        let run = &pts[cuts[turn]..=cuts[turn + 1]];
        let inner = trim_ends(run, CORNER_BLUR);
        let off = (inner.iter())
            .map(|p| cross(square, sub(*p, through)).abs())
            .fold(0.0, f64::max);
        if off <= opts.tolerance {
            pieces[turn] = Piece::Line {
                dir: square,
                through,
            };
            fixed[turn] = true;
            fixed[keep] = true;
        }
    }
}

/// Fit the pieces of `pts` between consecutive `cuts` (corner indices, the first and last
/// the ends). With `closed`, the first and last cut are the same corner, which may move.
fn fit_pieces(pts: &[P], cuts: &[usize], closed: bool, opts: &FitOptions) -> Fitted {
    let mut pieces: Vec<Piece> = cuts
        .windows(2)
        .map(|w| classify(&pts[w[0]..=w[1]], opts))
        .collect();
    square_corners(&mut pieces, pts, cuts, closed, opts);
    // Corners where lines meet are placed where the lines cross; a corner beside one
    // line is moved onto it.
    let mut at: Vec<P> = cuts.iter().map(|&c| pts[c]).collect();
    let n = pieces.len();
    for k in 0..cuts.len() {
        let movable = closed || (k > 0 && k + 1 < cuts.len());
        if !movable {
            continue;
        }
        let before = if k == 0 { n - 1 } else { k - 1 };
        let after = if k == cuts.len() - 1 { 0 } else { k };
        if k == cuts.len() - 1 {
            at[k] = at[0];
            continue;
        }
        let corner = at[k];
        let moved = match (&pieces[before], &pieces[after]) {
            (
                Piece::Line {
                    dir: d1,
                    through: p1,
                },
                Piece::Line {
                    dir: d2,
                    through: p2,
                },
            ) => intersect(*p1, *d1, *p2, *d2),
            (Piece::Line { dir, through }, _) | (_, Piece::Line { dir, through }) => {
                Some(project(corner, *through, *dir))
            }
            _ => None,
        };
        if let Some(m) = moved {
            if dist(m, corner) <= 2.0 {
                at[k] = m;
            }
        }
    }
    let mut segs = Vec::new();
    for (i, piece) in pieces.iter().enumerate() {
        let (a, b) = (at[i], at[i + 1]);
        match piece {
            Piece::Line { .. } => segs.push(Seg::Line(b)),
            Piece::Arc { centre, r } => {
                segs.extend(arc_to(a, b, *centre, *r, &pts[cuts[i]..=cuts[i + 1]]))
            }
            Piece::Curve => {
                let mut run = smooth(&pts[cuts[i]..=cuts[i + 1]]);
                let last = run.len() - 1;
                run[0] = a;
                run[last] = b;
                let t1 = tangent_at(&run, 0, false);
                let t2 = tangent_at(&run, last, false);
                fit_cubics(&run, t1, neg(t2), opts.tolerance, &mut segs, 0);
            }
        }
    }
    Fitted { start: at[0], segs }
}

fn classify(run: &[P], opts: &FitOptions) -> Piece {
    let length: f64 = run.windows(2).map(|w| dist(w[0], w[1])).sum();
    // A corner's anti-aliasing rounds the edge points within about a pixel of it: judge
    // straightness, and fit the line, without them.
    let inner = trim_ends(run, CORNER_BLUR);
    let (centroid, mut dir) = principal_line(inner);
    let off = inner
        .iter()
        .map(|p| cross(dir, sub(*p, centroid)).abs())
        .fold(0.0, f64::max);
    if run.len() <= 3 || off <= opts.shape || length < 2.0 {
        // Level or plumb when nearly so.
        let angle = dir[1].atan2(dir[0]);
        let quarter = std::f64::consts::FRAC_PI_2;
        let snapped = (angle / quarter).round() * quarter;
        if (angle - snapped).abs() <= opts.snap {
            dir = [snapped.cos().round(), snapped.sin().round()];
        }
        return Piece::Line {
            dir,
            through: centroid,
        };
    }
    if length >= 6.0 {
        if let Some((centre, r)) = circle_fit(run) {
            let worst = run
                .iter()
                .map(|p| (dist(*p, centre) - r).abs())
                .fold(0.0, f64::max);
            let sweep = length / r;
            if worst <= opts.shape && r < 4000.0 && sweep > 0.35 {
                return Piece::Arc { centre, r };
            }
        }
    }
    Piece::Curve
}

/// How far from a corner, in pixels, anti-aliasing rounds the edge points.
const CORNER_BLUR: f64 = 1.2;

/// `run` without the points within `reach` of either end (all of it when that would
/// leave fewer than three points).
fn trim_ends(run: &[P], reach: f64) -> &[P] {
    let s = arc_lengths(run, false);
    let total = s[run.len() - 1];
    let first = s.partition_point(|&v| v < reach);
    let last = s[..run.len()].partition_point(|&v| v <= total - reach);
    if last >= first + 3 {
        &run[first..last]
    } else {
        run
    }
}

/// The arc of the circle (`centre`, `r`) from `a` to `b` that `run` follows, in SVG arcs
/// of at most a quarter turn each: an arc's centre is found from its ends and radius,
/// which is ill-conditioned near a half turn (a hundredth of a pixel of rounding in the
/// radius would move a half circle's centre by pixels).
fn arc_to(a: P, b: P, centre: P, r: f64, run: &[P]) -> Vec<Seg> {
    // Direction of travel: the sign of the swept angle along the run.
    arcs(a, b, centre, r, swept(run, centre, false))
}

/// The angle (radians; positive: clockwise on screen) that `pts` sweep around `centre`,
/// back to the first point with `closed`.
fn swept(pts: &[P], centre: P, closed: bool) -> f64 {
    let next = |i: usize| pts[(i + 1) % pts.len()];
    let steps = if closed { pts.len() } else { pts.len() - 1 };
    (0..steps)
        .map(|i| {
            let (u, v) = (sub(pts[i], centre), sub(next(i), centre));
            cross(u, v).atan2(dot(u, v))
        })
        .sum()
}

/// Arcs from `a` to `b` around `centre` turning by about `swept` radians (positive:
/// clockwise on screen), a quarter turn at most each.
fn arcs(a: P, b: P, centre: P, r: f64, swept: f64) -> Vec<Seg> {
    let sweep = swept > 0.0;
    let n = (swept.abs() / std::f64::consts::FRAC_PI_2).ceil().max(1.0) as usize;
    let start = sub(a, centre);
    let a0 = start[1].atan2(start[0]);
    let step = swept / n as f64;
    let mut out = Vec::with_capacity(n);
    let mut from = a;
    for k in 1..=n {
        let to = if k == n {
            b
        } else {
            let t = a0 + step * k as f64;
            add(centre, [r * t.cos(), r * t.sin()])
        };
        let r = r.max(dist(from, to) / 2.0);
        out.push(Seg::Arc {
            rx: r,
            ry: r,
            rotation: 0.0,
            large: false,
            sweep,
            to,
        });
        from = to;
    }
    out
}

/// A loop that is a circle, as four quarter arcs.
fn full_circle(pts: &[P], opts: &FitOptions) -> Option<Fitted> {
    let (centre, r) = circle_fit(pts)?;
    let worst = pts
        .iter()
        .map(|p| (dist(*p, centre) - r).abs())
        .fold(0.0, f64::max);
    if worst > opts.shape || r < 1.0 {
        return None;
    }
    let swept = swept(pts, centre, true);
    // Start level with the centre, on the left: tidy numbers for a tidy shape.
    let start = [centre[0] - r, centre[1]];
    let turn = std::f64::consts::TAU.copysign(swept);
    Some(Fitted {
        start,
        segs: arcs(start, start, centre, r, turn),
    })
}

/// A loop that is an ellipse, as four quarter arcs between the ends of its axes.
fn full_ellipse(pts: &[P], opts: &FitOptions) -> Option<Fitted> {
    let (centre, a, b, u) = ellipse_fit(pts)?;
    if b < 1.0 || a > 4000.0 || a > MAX_ELLIPSE_ASPECT * b {
        return None;
    }
    let v = [-u[1], u[0]];
    let worst = pts
        .iter()
        .map(|p| {
            let d = sub(*p, centre);
            let (x, y) = (dot(d, u), dot(d, v));
            // Sampson distance: the implicit function over its gradient's length.
            let f = (x / a).powi(2) + (y / b).powi(2) - 1.0;
            let g = 2.0 * ((x / (a * a)).powi(2) + (y / (b * b)).powi(2)).sqrt();
            if g > 1e-12 {
                f.abs() / g
            } else {
                f64::INFINITY
            }
        })
        .fold(0.0, f64::max);
    if worst > opts.shape {
        return None;
    }
    let swept = swept(pts, centre, true);
    let sign = if swept > 0.0 { 1.0 } else { -1.0 };
    let at = |k: f64| {
        let t = sign * k * std::f64::consts::FRAC_PI_2;
        add(centre, add(scale(u, a * t.cos()), scale(v, b * t.sin())))
    };
    let rotation = u[1].atan2(u[0]).to_degrees();
    let start = at(0.0);
    let segs = (1..=4)
        .map(|k| Seg::Arc {
            rx: a,
            ry: b,
            rotation,
            large: false,
            sweep: swept > 0.0,
            to: if k == 4 { start } else { at(k as f64) },
        })
        .collect();
    Some(Fitted { start, segs })
}

/// Longest over shortest axis of an ellipse drawn as arcs (beyond, a sliver is a curve).
const MAX_ELLIPSE_ASPECT: f64 = 50.0;

/// The ellipse with the same area moments as the polygon `pts` (exact for a sampled
/// ellipse): its centre, semi-axes `a >= b` and the unit direction of `a`.
fn ellipse_fit(pts: &[P]) -> Option<(P, f64, f64, P)> {
    let n = pts.len() as f64;
    let mean = [
        pts.iter().map(|p| p[0]).sum::<f64>() / n,
        pts.iter().map(|p| p[1]).sum::<f64>() / n,
    ];
    let (mut area, mut cx, mut cy, mut sxx, mut syy, mut sxy) = (0.0, 0.0, 0.0, 0.0, 0.0, 0.0);
    for i in 0..pts.len() {
        let p = sub(pts[i], mean);
        let q = sub(pts[(i + 1) % pts.len()], mean);
        let c = p[0] * q[1] - q[0] * p[1];
        area += c / 2.0;
        cx += (p[0] + q[0]) * c / 6.0;
        cy += (p[1] + q[1]) * c / 6.0;
        sxx += (p[0] * p[0] + p[0] * q[0] + q[0] * q[0]) * c / 12.0;
        syy += (p[1] * p[1] + p[1] * q[1] + q[1] * q[1]) * c / 12.0;
        sxy += (p[0] * q[1] + 2.0 * p[0] * p[1] + 2.0 * q[0] * q[1] + q[0] * p[1]) * c / 24.0;
    }
    if area.abs() < 1.0 {
        return None;
    }
    let (cx, cy) = (cx / area, cy / area);
    let (mxx, myy, mxy) = (
        sxx / area - cx * cx,
        syy / area - cy * cy,
        sxy / area - cx * cy,
    );
    let half = (mxx + myy) / 2.0;
    let spread = (((mxx - myy) / 2.0).powi(2) + mxy * mxy).sqrt();
    let (big, small) = (half + spread, half - spread);
    if small <= 0.0 || !big.is_finite() {
        return None;
    }
    let angle = 0.5 * (2.0 * mxy).atan2(mxx - myy);
    // A filled ellipse's variance along an axis is a quarter of the semi-axis squared.
    Some((
        add(mean, [cx, cy]),
        2.0 * big.sqrt(),
        2.0 * small.sqrt(),
        [angle.cos(), angle.sin()],
    ))
}

/// Least-squares circle (Kåsa): centre and radius, if the points are not collinear.
fn circle_fit(pts: &[P]) -> Option<(P, f64)> {
    let n = pts.len() as f64;
    let (mx, my) = (
        pts.iter().map(|p| p[0]).sum::<f64>() / n,
        pts.iter().map(|p| p[1]).sum::<f64>() / n,
    );
    let (mut suu, mut suv, mut svv, mut suuu, mut svvv, mut suvv, mut svuu) =
        (0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0);
    for p in pts {
        let (u, v) = (p[0] - mx, p[1] - my);
        suu += u * u;
        suv += u * v;
        svv += v * v;
        suuu += u * u * u;
        svvv += v * v * v;
        suvv += u * v * v;
        svuu += v * u * u;
    }
    let det = suu * svv - suv * suv;
    if det.abs() < 1e-9 {
        return None;
    }
    let (b1, b2) = (0.5 * (suuu + suvv), 0.5 * (svvv + svuu));
    let uc = (b1 * svv - b2 * suv) / det;
    let vc = (suu * b2 - suv * b1) / det;
    let r = (uc * uc + vc * vc + (suu + svv) / n).sqrt();
    r.is_finite().then_some(([uc + mx, vc + my], r))
}

/// The points where the outline turns sharply: local maxima of the turn measured
/// between chords about two pixels long, above the corner angle.
fn find_corners(pts: &[P], closed: bool, opts: &FitOptions) -> Vec<usize> {
    const REACH: f64 = 2.0;
    let n = pts.len();
    let s = arc_lengths(pts, closed);
    let total = s[n];
    let at = |target: f64| -> P { point_at(pts, &s, target, closed) };
    let turn: Vec<f64> = (0..n)
        .map(|i| {
            if !closed && (s[i] < REACH * 0.5 || total - s[i] < REACH * 0.5) {
                return 0.0;
            }
            let (b, f) = (at(s[i] - REACH), at(s[i] + REACH));
            let (u, v) = (sub(pts[i], b), sub(f, pts[i]));
            if norm(u) < 1e-9 || norm(v) < 1e-9 {
                return 0.0;
            }
            cross(u, v).atan2(dot(u, v)).abs()
        })
        .collect();
    let mut corners = Vec::new();
    for i in 0..n {
        if turn[i] < opts.corner {
            continue;
        }
        // The largest turn within the reach, the first on a tie.
        let mut best = true;
        let mut j = 1;
        while j < n && best {
            let dist_fwd = if closed {
                (s[(i + j) % n] - s[i]).rem_euclid(total)
            } else if i + j < n {
                s[i + j] - s[i]
            } else {
                f64::INFINITY
            };
            if dist_fwd > REACH {
                break;
            }
            if turn[(i + j) % n] > turn[i] {
                best = false;
            }
            j += 1;
        }
        let mut j = 1;
        while j < n && best {
            let dist_back = if closed {
                (s[i] - s[(i + n - j) % n]).rem_euclid(total)
            } else if j <= i {
                s[i] - s[i - j]
            } else {
                f64::INFINITY
            };
            if dist_back > REACH {
                break;
            }
            if turn[(i + n - j) % n] >= turn[i] {
                best = false;
            }
            j += 1;
        }
        if best {
            corners.push(i);
        }
    }
    corners
}

/// Cumulative lengths: `s[i]` at point `i`, `s[n]` the whole (around the loop when
/// `closed`).
fn arc_lengths(pts: &[P], closed: bool) -> Vec<f64> {
    let mut s = Vec::with_capacity(pts.len() + 1);
    s.push(0.0);
    for w in pts.windows(2) {
        s.push(s.last().expect("one") + dist(w[0], w[1]));
    }
    let closing = if closed {
        dist(pts[pts.len() - 1], pts[0])
    } else {
        0.0
    };
    s.push(s.last().expect("one") + closing);
    s
}

/// The point at arc length `target` (wrapped around a loop, clamped on a chain).
fn point_at(pts: &[P], s: &[f64], target: f64, closed: bool) -> P {
    let n = pts.len();
    let total = s[n];
    let t = if closed {
        target.rem_euclid(total.max(1e-12))
    } else {
        target.clamp(0.0, s[n - 1])
    };
    let i = s[..n].partition_point(|&v| v <= t).saturating_sub(1);
    let j = if i + 1 < n {
        i + 1
    } else if closed {
        0
    } else {
        return pts[n - 1];
    };
    let len = s[i + 1] - s[i];
    if len < 1e-12 {
        return pts[i];
    }
    lerp(pts[i], pts[j], (t - s[i]) / len)
}

/// The unit tangent at point `i`, from points about 1.5 pixels either side (or from the
/// point itself at a chain's end).
fn tangent_at(pts: &[P], i: usize, closed: bool) -> P {
    const REACH: f64 = 1.5;
    let s = arc_lengths(pts, closed);
    let n = pts.len();
    let end = if closed { s[n] } else { s[n - 1] };
    let reach = REACH.min(end / 3.0);
    let back = if closed || s[i] > 0.0 {
        point_at(pts, &s, s[i] - reach, closed)
    } else {
        pts[i]
    };
    let fwd = if closed || s[i] < end {
        point_at(pts, &s, s[i] + reach, closed)
    } else {
        pts[i]
    };
    unit(sub(fwd, back))
}

/// Points averaged with their neighbours (1, 2, 1), the ends kept.
fn smooth(pts: &[P]) -> Vec<P> {
    let mut out = pts.to_vec();
    for i in 1..pts.len().saturating_sub(1) {
        out[i] = [
            0.25 * pts[i - 1][0] + 0.5 * pts[i][0] + 0.25 * pts[i + 1][0],
            0.25 * pts[i - 1][1] + 0.5 * pts[i][1] + 0.25 * pts[i + 1][1],
        ];
    }
    out
}

fn dedup(points: &[P], closed: bool) -> Vec<P> {
    let mut out: Vec<P> = Vec::with_capacity(points.len());
    for p in points {
        if out.last().is_none_or(|q| dist(*q, *p) > 1e-6) {
            out.push(*p);
        }
    }
    if closed && out.len() > 1 && dist(out[0], out[out.len() - 1]) <= 1e-6 {
        out.pop();
    }
    out
}

/// Schneider's algorithm: fit cubics to `pts` from its first to its last point, leaving
/// along `t1` and arriving against `t2` (both unit, `t2` pointing back into the curve),
/// splitting where the error is largest until every point is within `tol`.
fn fit_cubics(pts: &[P], t1: P, t2: P, tol: f64, out: &mut Vec<Seg>, depth: usize) {
    let (a, b) = (pts[0], pts[pts.len() - 1]);
    if pts.len() == 2 {
        let d = dist(a, b) / 3.0;
        out.push(Seg::Cubic(add(a, scale(t1, d)), add(b, scale(t2, d)), b));
        return;
    }
    let mut u = chord_params(pts);
    let mut bez = generate(pts, &u, t1, t2);
    let (mut err, mut split) = max_error(pts, &bez, &u);
    if err <= tol * tol {
        out.push(Seg::Cubic(bez[1], bez[2], bez[3]));
        return;
    }
    if err <= 16.0 * tol * tol {
        for _ in 0..6 {
            reparameterise(pts, &bez, &mut u);
            bez = generate(pts, &u, t1, t2);
            (err, split) = max_error(pts, &bez, &u);
            if err <= tol * tol {
                out.push(Seg::Cubic(bez[1], bez[2], bez[3]));
                return;
            }
        }
    }
    if depth > 24 || pts.len() < 4 {
        out.push(Seg::Cubic(bez[1], bez[2], bez[3]));
        return;
    }
    let split = split.clamp(1, pts.len() - 2);
    let tc = tangent_at(pts, split, false);
    fit_cubics(&pts[..=split], t1, neg(tc), tol, out, depth + 1);
    fit_cubics(&pts[split..], tc, t2, tol, out, depth + 1);
}

fn chord_params(pts: &[P]) -> Vec<f64> {
    let mut u = vec![0.0];
    for w in pts.windows(2) {
        u.push(u.last().expect("one") + dist(w[0], w[1]));
    }
    let total = *u.last().expect("one");
    if total > 0.0 {
        for v in &mut u {
            *v /= total;
        }
    }
    u
}

fn bezier(b: &[P; 4], t: f64) -> P {
    let mt = 1.0 - t;
    let (c0, c1, c2, c3) = (mt * mt * mt, 3.0 * mt * mt * t, 3.0 * mt * t * t, t * t * t);
    [
        c0 * b[0][0] + c1 * b[1][0] + c2 * b[2][0] + c3 * b[3][0],
        c0 * b[0][1] + c1 * b[1][1] + c2 * b[2][1] + c3 * b[3][1],
    ]
}

/// The cubic from the first to the last point with the given end tangents whose handle
/// lengths best fit the points at parameters `u` (least squares).
fn generate(pts: &[P], u: &[f64], t1: P, t2: P) -> [P; 4] {
    let (a, b) = (pts[0], pts[pts.len() - 1]);
    let (mut c00, mut c01, mut c11, mut x0, mut x1) = (0.0, 0.0, 0.0, 0.0, 0.0);
    for (p, &t) in pts.iter().zip(u) {
        let mt = 1.0 - t;
        let (b0, b1, b2, b3) = (mt * mt * mt, 3.0 * mt * mt * t, 3.0 * mt * t * t, t * t * t);
        let (a1, a2) = (scale(t1, b1), scale(t2, b2));
        c00 += dot(a1, a1);
        c01 += dot(a1, a2);
        c11 += dot(a2, a2);
        let tmp = sub(*p, add(scale(a, b0 + b1), scale(b, b2 + b3)));
        x0 += dot(a1, tmp);
        x1 += dot(a2, tmp);
    }
    let det = c00 * c11 - c01 * c01;
    let seg = dist(a, b);
    let (mut l1, mut l2) = if det.abs() > 1e-12 {
        ((x0 * c11 - x1 * c01) / det, (c00 * x1 - c01 * x0) / det)
    } else {
        (seg / 3.0, seg / 3.0)
    };
    if l1 < seg * 1e-3 || l2 < seg * 1e-3 || l1 > seg * 2.0 || l2 > seg * 2.0 {
        l1 = seg / 3.0;
        l2 = seg / 3.0;
    }
    [a, add(a, scale(t1, l1)), add(b, scale(t2, l2)), b]
}

fn max_error(pts: &[P], bez: &[P; 4], u: &[f64]) -> (f64, usize) {
    let mut worst = (0.0, pts.len() / 2);
    for (i, (p, &t)) in pts.iter().zip(u).enumerate() {
        let d = sub(bezier(bez, t), *p);
        let e = dot(d, d);
        if e > worst.0 {
            worst = (e, i);
        }
    }
    worst
}

/// One Newton step per point towards its nearest point on the curve.
fn reparameterise(pts: &[P], b: &[P; 4], u: &mut [f64]) {
    let d1 = [
        scale(sub(b[1], b[0]), 3.0),
        scale(sub(b[2], b[1]), 3.0),
        scale(sub(b[3], b[2]), 3.0),
    ];
    let d2 = [scale(sub(d1[1], d1[0]), 2.0), scale(sub(d1[2], d1[1]), 2.0)];
    for (p, t) in pts.iter().zip(u.iter_mut()) {
        let q = bezier(b, *t);
        let mt = 1.0 - *t;
        let q1 = add(
            add(scale(d1[0], mt * mt), scale(d1[1], 2.0 * mt * *t)),
            scale(d1[2], *t * *t),
        );
        let q2 = add(scale(d2[0], mt), scale(d2[1], *t));
        let diff = sub(q, *p);
        let num = dot(diff, q1);
        let den = dot(q1, q1) + dot(diff, q2);
        if den.abs() > 1e-12 {
            *t = (*t - num / den).clamp(0.0, 1.0);
        }
    }
}

/// The centroid and unit direction of the best straight line through `pts`.
fn principal_line(pts: &[P]) -> (P, P) {
    let n = pts.len() as f64;
    let c = [
        pts.iter().map(|p| p[0]).sum::<f64>() / n,
        pts.iter().map(|p| p[1]).sum::<f64>() / n,
    ];
    let (mut sxx, mut sxy, mut syy) = (0.0, 0.0, 0.0);
    for p in pts {
        let d = sub(*p, c);
        sxx += d[0] * d[0];
        sxy += d[0] * d[1];
        syy += d[1] * d[1];
    }
    let angle = 0.5 * (2.0 * sxy).atan2(sxx - syy);
    let mut dir = [angle.cos(), angle.sin()];
    // Point the same way as the run.
    if dot(dir, sub(pts[pts.len() - 1], pts[0])) < 0.0 {
        dir = neg(dir);
    }
    (c, dir)
}

fn intersect(p1: P, d1: P, p2: P, d2: P) -> Option<P> {
    let den = cross(d1, d2);
    if den.abs() < 0.17 {
        // Under about 10 degrees apart: no clear crossing.
        return None;
    }
    let t = cross(sub(p2, p1), d2) / den;
    Some(add(p1, scale(d1, t)))
}

fn project(p: P, through: P, dir: P) -> P {
    add(through, scale(dir, dot(sub(p, through), dir)))
}

fn add(a: P, b: P) -> P {
    [a[0] + b[0], a[1] + b[1]]
}
fn sub(a: P, b: P) -> P {
    [a[0] - b[0], a[1] - b[1]]
}
fn scale(a: P, k: f64) -> P {
    [a[0] * k, a[1] * k]
}
fn neg(a: P) -> P {
    [-a[0], -a[1]]
}
fn dot(a: P, b: P) -> f64 {
    a[0] * b[0] + a[1] * b[1]
}
fn cross(a: P, b: P) -> f64 {
    a[0] * b[1] - a[1] * b[0]
}
fn norm(a: P) -> f64 {
    dot(a, a).sqrt()
}
fn dist(a: P, b: P) -> f64 {
    norm(sub(a, b))
}
fn unit(a: P) -> P {
    let n = norm(a);
    if n < 1e-12 {
        [1.0, 0.0]
    } else {
        scale(a, 1.0 / n)
    }
}
fn lerp(a: P, b: P, t: f64) -> P {
    [a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn opts() -> FitOptions {
        FitOptions {
            tolerance: 0.3,
            shape: 0.24,
            corner: 60f64.to_radians(),
            snap: 2f64.to_radians(),
        }
    }

    #[test]
    fn a_noisy_square_becomes_four_level_and_plumb_lines_with_sharp_corners() {
        let mut pts = Vec::new();
        let wobble = |i: usize| 0.05 * ((i * 7919) % 13) as f64 / 13.0;
        for i in 0..20 {
            pts.push([10.0 + i as f64, 10.0 + wobble(i)]);
        }
        for i in 0..20 {
            pts.push([30.0 + wobble(i), 10.0 + i as f64]);
        }
        for i in 0..20 {
            pts.push([30.0 - i as f64, 30.0 + wobble(i)]);
        }
        for i in 0..20 {
            pts.push([10.0 + wobble(i), 30.0 - i as f64]);
        }
        let f = fit(&pts, true, &opts());
        assert_eq!(f.segs.len(), 4, "{f:?}");
        let mut corners = vec![f.start];
        corners.extend(f.segs.iter().map(Seg::end));
        for c in corners {
            assert!(
                (c[0] - 10.0).abs() < 0.1 || (c[0] - 30.0).abs() < 0.1,
                "{c:?}"
            );
            assert!(
                (c[1] - 10.0).abs() < 0.1 || (c[1] - 30.0).abs() < 0.1,
                "{c:?}"
            );
        }
        assert!(f.segs.iter().all(|s| matches!(s, Seg::Line(_))));
    }

    #[test]
    fn a_short_edge_between_rounded_corners_stays_a_straight_line() {
        // A 10 px edge whose points within a pixel of each corner are pulled 0.4 px
        // inwards, as anti-aliasing rounds them.
        let run: Vec<P> = (0..=20)
            .map(|i| {
                let x = i as f64 * 0.5;
                let pulled = if !(1.0..=9.0).contains(&x) { 0.4 } else { 0.0 };
                [x, 5.0 + pulled]
            })
            .collect();
        match classify(&run, &opts()) {
            Piece::Line { dir, through } => {
                assert_eq!(dir, [1.0, 0.0]);
                assert!((through[1] - 5.0).abs() < 0.05, "{through:?}");
            }
            _ => panic!("not a line"),
        }
    }

    #[test]
    fn an_ellipse_becomes_four_quarter_arcs_on_its_axes() {
        // Semi-axes 30 and 12, turned by 30 degrees, drawn anticlockwise on screen.
        let (c, s) = (30f64.to_radians().cos(), 30f64.to_radians().sin());
        let pts: Vec<P> = (0..160)
            .map(|i| {
                let t = -(i as f64) * std::f64::consts::TAU / 160.0;
                let (x, y) = (30.0 * t.cos(), 12.0 * t.sin());
                [60.0 + c * x - s * y, 50.0 + s * x + c * y]
            })
            .collect();
        let f = fit(&pts, true, &opts());
        assert_eq!(f.segs.len(), 4, "{f:?}");
        let on_axes = |s: &Seg| match *s {
            Seg::Arc {
                rx,
                ry,
                rotation,
                large: false,
                sweep: false,
                ..
            } => {
                (rx - 30.0).abs() < 0.05
                    && (ry - 12.0).abs() < 0.05
                    && (rotation - 30.0).abs() < 0.05
            }
            _ => false,
        };
        assert!(f.segs.iter().all(on_axes), "{f:?}");
        // The arcs run between the ends of the axes.
        let ends: Vec<P> = f.segs.iter().map(Seg::end).collect();
        assert!(
            dist(f.start, [60.0 + 30.0 * c, 50.0 + 30.0 * s]) < 0.05,
            "{f:?}"
        );
        assert!(
            dist(ends[1], [60.0 - 30.0 * c, 50.0 - 30.0 * s]) < 0.05,
            "{f:?}"
        );
        assert_eq!(ends[3], f.start);
        // A lumpy loop is no ellipse.
        let lumpy: Vec<P> = pts
            .iter()
            .enumerate()
            .map(|(i, p)| [p[0] + if i % 20 < 10 { 0.0 } else { 1.5 }, p[1]])
            .collect();
        let f = fit(&lumpy, true, &opts());
        assert!(
            !f.segs.iter().all(|s| matches!(s, Seg::Arc { .. })),
            "{f:?}"
        );
    }

    #[test]
    fn a_circle_becomes_four_quarter_arcs() {
        let pts: Vec<P> = (0..100)
            .map(|i| {
                let a = i as f64 * std::f64::consts::TAU / 100.0;
                [50.0 + 20.0 * a.cos(), 40.0 + 20.0 * a.sin()]
            })
            .collect();
        let f = fit(&pts, true, &opts());
        assert_eq!(f.segs.len(), 4);
        match f.segs[0] {
            Seg::Arc { rx, ry, .. } => assert!((rx - 20.0).abs() < 0.01 && rx == ry),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn a_slanted_nearly_square_outline_comes_out_square() {
        // A 30 px square turned 20 degrees, one corner pushed 0.35 px out of square
        // (corners 89.3 to 90.7 degrees), sampled every half pixel.
        let (c, sn) = (20f64.to_radians().cos(), 20f64.to_radians().sin());
        let turn = |x: f64, y: f64| [10.0 + c * x - sn * y, 10.0 + sn * x + c * y];
        let corners = [
            turn(0.0, 0.0),
            turn(30.0, 0.0),
            turn(30.0, 30.35),
            turn(0.0, 30.0),
        ];
        let mut pts = Vec::new();
        for k in 0..4 {
            let (a, b) = (corners[k], corners[(k + 1) % 4]);
            for i in 0..60 {
                let t = i as f64 / 60.0;
                pts.push([a[0] + t * (b[0] - a[0]), a[1] + t * (b[1] - a[1])]);
            }
        }
        let f = fit(&pts, true, &opts());
        let mut at = vec![f.start];
        at.extend(f.segs.iter().map(|s| s.end()));
        assert!(
            f.segs.iter().all(|s| matches!(s, Seg::Line(_))),
            "{:?}",
            f.segs
        );
        assert_eq!(f.segs.len(), 4, "{:?}", f.segs);
        for k in 0..4 {
            let (a, b, c) = (at[k], at[k + 1], at[(k + 2) % 4]);
            let cos = dot(sub(b, a), sub(c, b)) / (dist(a, b) * dist(b, c));
            assert!(
                cos.abs() < 1e-6,
                "corner {k} is {} degrees",
                cos.acos().to_degrees()
            );
        }
    }

    #[test]
    fn a_wobbly_straight_edge_is_one_line_when_the_shape_tolerance_allows() {
        // 40 px along a slope of 1/4, wobbling by up to 0.45 px over a few pixels, as a
        // JPEG's matte does.
        let pts: Vec<P> = (0..=80)
            .map(|i| {
                let x = i as f64 * 0.5;
                let wobble = 0.45 * (x * 0.9).sin();
                [x, 0.25 * x + wobble]
            })
            .collect();
        let clean = fit(&pts, false, &opts());
        assert!(clean.segs.len() > 1, "{:?}", clean.segs);
        let lossy = fit(
            &pts,
            false,
            &FitOptions {
                shape: 0.7,
                ..opts()
            },
        );
        assert_eq!(lossy.segs.len(), 1, "{:?}", lossy.segs);
        assert!(matches!(lossy.segs[0], Seg::Line(_)));
    }

    #[test]
    fn a_smooth_curve_stays_within_tolerance_and_reverses_exactly() {
        let pts: Vec<P> = (0..=60)
            .map(|i| {
                let x = i as f64 * 0.5;
                [x, 5.0 * (x / 6.0).sin() + 0.02 * x * x]
            })
            .collect();
        let f = fit(&pts, false, &opts());
        assert_eq!(f.start, pts[0]);
        assert_eq!(f.segs.last().unwrap().end(), pts[60]);
        assert!(f.segs.len() <= 6, "{}", f.segs.len());
        let back = f.reversed();
        assert_eq!(back.start, pts[60]);
        assert_eq!(back.reversed(), f);
    }
}
