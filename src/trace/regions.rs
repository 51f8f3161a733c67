//! Region boundaries at sub-pixel precision: a label per pixel (0 is the background), the
//! cracks between pixels of different labels chained from junction to junction, and each
//! crack's point placed where the soft coverage of the two labels says the true edge is.
//!
//! A chain separates the same two labels along its whole length, so it is fitted once and
//! shared by the shapes on both sides: no seams, no overlaps.

/// A point in pixel coordinates (pixel (x, y) covers [x, x + 1] x [y, y + 1]).
pub type P = [f64; 2];

/// How much of a pixel belongs to one label rather than another: the soft information the
/// hard labels lost (alpha for shape against background, colour mix between two colours).
pub trait Cover {
    /// The share (0 to 1) of label `i` against label `j` at pixel (`x`, `y`), inside the
    /// image.
    fn share(&self, x: usize, y: usize, i: u8, j: u8) -> f64;
}

/// A label per pixel, row by row; pixels outside the image are label 0.
pub struct Labels {
    pub width: usize,
    pub height: usize,
    pub labels: Vec<u8>,
}

impl Labels {
    pub fn get(&self, x: i64, y: i64) -> u8 {
        if x < 0 || y < 0 || x >= self.width as i64 || y >= self.height as i64 {
            0
        } else {
            self.labels[y as usize * self.width + x as usize]
        }
    }

    /// Give each shape pixel the label that five or more of its 3 x 3 neighbourhood
    /// (itself included) share, when that is another shape label: smooths the ragged
    /// colour edges of a lossy input (a JPEG's chroma is blurred and blocky). Background
    /// pixels and the shape's outline against the background stay as they are.
    pub fn smooth_colour_edges(&mut self) {
        let (w, h) = (self.width, self.height);
        let old = self.labels.clone();
        for y in 1..h.saturating_sub(1) {
            for x in 1..w - 1 {
                let own = old[y * w + x];
                if own == 0 {
                    continue;
                }
                let mut counts = [0u8; 256];
                for dy in 0..3 {
                    for dx in 0..3 {
                        counts[old[(y + dy - 1) * w + x + dx - 1] as usize] += 1;
                    }
                }
                if let Some(l) = (1..256).find(|&l| counts[l] >= 5) {
                    self.labels[y * w + x] = l as u8;
                }
            }
        }
    }

    /// Relabel every 8-connected component smaller than `min_area` pixels to the label
    /// most of its neighbours have (the lowest on a tie): specks and pinholes.
    pub fn drop_specks(&mut self, min_area: usize) {
        if min_area <= 1 {
            return;
        }
        let (w, h) = (self.width, self.height);
        let mut seen = vec![false; w * h];
        let mut stack = Vec::new();
        let mut comp = Vec::new();
        for start in 0..w * h {
            if seen[start] {
                continue;
            }
            let label = self.labels[start];
            seen[start] = true;
            stack.push(start);
            comp.clear();
            let mut big = false;
            while let Some(i) = stack.pop() {
                if !big {
                    comp.push(i);
                    big = comp.len() >= min_area;
                }
                let (x, y) = ((i % w) as i64, (i / w) as i64);
                for (dx, dy) in NEIGHBOURS_8 {
                    let (nx, ny) = (x + dx, y + dy);
                    if nx < 0 || ny < 0 || nx >= w as i64 || ny >= h as i64 {
                        continue;
                    }
                    let j = ny as usize * w + nx as usize;
                    if !seen[j] && self.labels[j] == label {
                        seen[j] = true;
                        stack.push(j);
                    }
                }
            }
            if big {
                continue;
            }
            let mut votes = [0u32; 256];
            for &i in &comp {
                let (x, y) = ((i % w) as i64, (i / w) as i64);
                for (dx, dy) in NEIGHBOURS_4 {
                    let l = self.get(x + dx, y + dy);
                    if l != label {
                        votes[l as usize] += 1;
                    }
                }
            }
            let (best, n) = votes
                .iter()
                .enumerate()
                .max_by(|a, b| a.1.cmp(b.1).then(b.0.cmp(&a.0)))
                .expect("256 labels");
            if *n > 0 {
                for &i in &comp {
                    self.labels[i] = best as u8;
                }
            }
        }
    }
}

const NEIGHBOURS_4: [(i64, i64); 4] = [(1, 0), (-1, 0), (0, 1), (0, -1)];
const NEIGHBOURS_8: [(i64, i64); 8] = [
    (1, 0),
    (-1, 0),
    (0, 1),
    (0, -1),
    (1, 1),
    (-1, -1),
    (1, -1),
    (-1, 1),
];

/// A direction of travel along the cracks (y grows downwards).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dir {
    Right,
    Down,
    Left,
    Up,
}

impl Dir {
    const ALL: [Dir; 4] = [Dir::Right, Dir::Down, Dir::Left, Dir::Up];

    fn bit(self) -> u8 {
        1 << self as u8
    }

    pub fn reverse(self) -> Dir {
        Dir::ALL[(self as usize + 2) % 4]
    }

    /// The direction after a right turn (on screen).
    pub fn right_turn(self) -> Dir {
        Dir::ALL[(self as usize + 1) % 4]
    }

    fn step(self) -> (i64, i64) {
        match self {
            Dir::Right => (1, 0),
            Dir::Down => (0, 1),
            Dir::Left => (-1, 0),
            Dir::Up => (0, -1),
        }
    }
}

/// A run of cracks between two labels: from a junction to a junction, or a closed loop.
#[derive(Debug, Clone)]
pub struct Chain {
    /// The edge's points: the first and last are the junctions' points (the same point
    /// for a loop's start and end is not repeated).
    pub points: Vec<P>,
    /// The lattice corners the chain starts and ends at, or `None` for a closed loop.
    pub ends: Option<(usize, usize)>,
    /// The label on the left of the direction of travel, and on the right.
    pub left: u8,
    pub right: u8,
    /// A pixel on the left of the first crack, and one on its right.
    pub left_pixel: (i64, i64),
    pub right_pixel: (i64, i64),
    /// Direction of the first crack and of the last.
    pub first: Dir,
    pub last: Dir,
}

/// The work was cancelled.
#[derive(Debug)]
pub struct Cancelled;

/// Every boundary of `labels` as chains, in a deterministic order, with each crack's
/// point placed by `cover`. `cancelled` is polled now and then.
pub fn chains(
    labels: &Labels,
    cover: &dyn Cover,
    cancelled: &dyn Fn() -> bool,
) -> Result<Vec<Chain>, Cancelled> {
    let walker = Walker { labels, cover };
    let (w, h) = (labels.width, labels.height);
    // Cracks: vertical ones at (X, Y) for X in 0..=w, Y in 0..h; horizontal at (X, Y)
    // for X in 0..w, Y in 0..=h.
    let mut seen_v = vec![false; (w + 1) * h];
    let mut seen_h = vec![false; w * (h + 1)];
    let mut out = Vec::new();
    for y in 0..=h {
        if y % 64 == 0 && cancelled() {
            return Err(Cancelled);
        }
        for x in 0..=w {
            let v = (x as i64, y as i64);
            let mask = walker.mask(v);
            if mask.count_ones() < 3 {
                continue;
            }
            for d in Dir::ALL {
                if mask & d.bit() != 0 && !walker.seen(v, d, &seen_v, &seen_h) {
                    out.push(walker.walk(v, d, &mut seen_v, &mut seen_h));
                }
            }
        }
    }
    // Closed loops: what is left, started at a horizontal crack going right.
    for y in 0..=h {
        for x in 0..w {
            let v = (x as i64, y as i64);
            if walker.mask(v) & Dir::Right.bit() != 0
                && !walker.seen(v, Dir::Right, &seen_v, &seen_h)
            {
                out.push(walker.walk(v, Dir::Right, &mut seen_v, &mut seen_h));
            }
        }
    }
    Ok(out)
}

struct Walker<'a> {
    labels: &'a Labels,
    cover: &'a dyn Cover,
}

impl Walker<'_> {
    /// The pixels left and right of the crack leaving corner `v` in direction `d`.
    fn sides(&self, (x, y): (i64, i64), d: Dir) -> ((i64, i64), (i64, i64)) {
        match d {
            Dir::Right => ((x, y - 1), (x, y)),
            Dir::Left => ((x - 1, y), (x - 1, y - 1)),
            Dir::Down => ((x, y), (x - 1, y)),
            Dir::Up => ((x - 1, y - 1), (x, y - 1)),
        }
    }

    fn has(&self, v: (i64, i64), d: Dir) -> bool {
        let (x, y) = v;
        let (w, h) = (self.labels.width as i64, self.labels.height as i64);
        let inside = match d {
            Dir::Right => x < w,
            Dir::Left => x > 0,
            Dir::Down => y < h,
            Dir::Up => y > 0,
        };
        if !inside {
            return false;
        }
        let (l, r) = self.sides(v, d);
        self.labels.get(l.0, l.1) != self.labels.get(r.0, r.1)
    }

    fn mask(&self, v: (i64, i64)) -> u8 {
        Dir::ALL
            .iter()
            .filter(|d| self.has(v, **d))
            .fold(0, |m, d| m | d.bit())
    }

    /// The crack's index in its `seen` array and whether it is vertical.
    fn crack(&self, (x, y): (i64, i64), d: Dir) -> (bool, usize) {
        let w = self.labels.width;
        match d {
            Dir::Down => (true, y as usize * (w + 1) + x as usize),
            Dir::Up => (true, (y - 1) as usize * (w + 1) + x as usize),
            Dir::Right => (false, y as usize * w + x as usize),
            Dir::Left => (false, y as usize * w + (x - 1) as usize),
        }
    }

    fn seen(&self, v: (i64, i64), d: Dir, seen_v: &[bool], seen_h: &[bool]) -> bool {
        match self.crack(v, d) {
            (true, i) => seen_v[i],
            (false, i) => seen_h[i],
        }
    }

    /// The boundary's point on the crack leaving `v` in direction `d`: on the line
    /// between the two pixel centres, where the coverage puts the edge.
    fn point(&self, v: (i64, i64), d: Dir) -> P {
        let (l, r) = self.sides(v, d);
        let labels = self.labels;
        let (i, j) = (labels.get(l.0, l.1), labels.get(r.0, r.1));
        let step = (r.0 - l.0, r.1 - l.1);
        let share = |p: (i64, i64)| -> f64 {
            let inside = p.0 >= 0
                && p.1 >= 0
                && (p.0 as usize) < labels.width
                && (p.1 as usize) < labels.height;
            if inside {
                self.cover.share(p.0 as usize, p.1 as usize, i, j)
            } else if i == 0 {
                1.0
            } else {
                0.0
            }
        };
        // The integral of the share across the edge, over a window that reaches one
        // more pixel on each side where that pixel has the same label: exact for a
        // straight edge whose blur lies within the window. Where the window reaches
        // that far, its outer pixels say what "all i" and "all j" read as here (less
        // than 1 and more than 0 where another edge crosses nearby, as at a corner,
        // or where a colour is not quite its palette colour), and the shares are
        // scaled to that range.
        let before = (l.0 - step.0, l.1 - step.1);
        let after = (r.0 + step.0, r.1 + step.1);
        let far_i = (labels.get(before.0, before.1) == i).then(|| share(before));
        let far_j = (labels.get(after.0, after.1) == j).then(|| share(after));
        let (hi, lo) = (far_i.unwrap_or(1.0), far_j.unwrap_or(0.0));
        let range = hi - lo;
        let norm = |v: f64| {
            if range > 0.3 {
                ((v - lo) / range).clamp(0.0, 1.0)
            } else {
                v
            }
        };
        let mut sum = norm(share(l)) + norm(share(r));
        let mut left_n = 1.0;
        if let Some(v) = far_i {
            sum += norm(v);
            left_n += 1.0;
        }
        if let Some(v) = far_j {
            sum += norm(v);
        }
        let e = (sum - (left_n - 1.0) - 0.5).clamp(0.0, 1.0);
        let centre = |p: (i64, i64)| [p.0 as f64 + 0.5, p.1 as f64 + 0.5];
        let (a, b) = (centre(l), centre(r));
        [a[0] + e * (b[0] - a[0]), a[1] + e * (b[1] - a[1])]
    }

    /// A junction's point: the mean of its cracks' points.
    fn node_point(&self, v: (i64, i64)) -> P {
        let mask = self.mask(v);
        let mut sum = [0.0, 0.0];
        let mut n = 0.0;
        for d in Dir::ALL {
            if mask & d.bit() != 0 {
                let p = self.point(v, d);
                sum = [sum[0] + p[0], sum[1] + p[1]];
                n += 1.0;
            }
        }
        [sum[0] / n, sum[1] / n]
    }

    fn id(&self, (x, y): (i64, i64)) -> usize {
        y as usize * (self.labels.width + 1) + x as usize
    }

    /// Follow the cracks from corner `start` in direction `d` to the next junction, or
    /// back to the start.
    fn walk(
        &self,
        start: (i64, i64),
        first: Dir,
        seen_v: &mut [bool],
        seen_h: &mut [bool],
    ) -> Chain {
        let junction = self.mask(start).count_ones() >= 3;
        let (lp, rp) = self.sides(start, first);
        let mut points = Vec::new();
        if junction {
            points.push(self.node_point(start));
        }
        let (mut v, mut d) = (start, first);
        loop {
            match self.crack(v, d) {
                (true, i) => seen_v[i] = true,
                (false, i) => seen_h[i] = true,
            }
            points.push(self.point(v, d));
            let (dx, dy) = d.step();
            v = (v.0 + dx, v.1 + dy);
            let mask = self.mask(v);
            let at_junction = mask.count_ones() >= 3;
            if at_junction {
                points.push(self.node_point(v));
            }
            if at_junction || (v == start && !junction) {
                return Chain {
                    points,
                    ends: at_junction.then(|| (self.id(start), self.id(v))),
                    left: self.labels.get(lp.0, lp.1),
                    right: self.labels.get(rp.0, rp.1),
                    left_pixel: lp,
                    right_pixel: rp,
                    first,
                    last: d,
                };
            }
            let back = d.reverse();
            d = *Dir::ALL
                .iter()
                .find(|o| **o != back && mask & o.bit() != 0)
                .expect("a corner on a boundary has two cracks");
        }
    }
}

/// A chain used by a shape, in the direction that keeps the shape on its left.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Use {
    pub chain: usize,
    pub reversed: bool,
}

/// The closed outlines of the pixels whose label satisfies `inside`, each a list of
/// chain uses, with the shape on the left. Diagonal neighbours inside are joined (at a
/// corner where the shape touches itself diagonally, the outline turns right). With
/// each outline comes a pixel just outside it, on its right.
pub fn outlines(chains: &[Chain], inside: &dyn Fn(u8) -> bool) -> Vec<(Vec<Use>, (i64, i64))> {
    let mut loops = Vec::new();
    // Open chains by the corner they leave from, once oriented.
    let mut from: std::collections::BTreeMap<usize, Vec<(Use, Dir, Dir, usize)>> =
        Default::default();
    for (i, c) in chains.iter().enumerate() {
        let (l, r) = (inside(c.left), inside(c.right));
        if l == r {
            continue;
        }
        let reversed = !l;
        let outside = if reversed {
            c.left_pixel
        } else {
            c.right_pixel
        };
        let use_ = Use { chain: i, reversed };
        match c.ends {
            None => loops.push((vec![use_], outside)),
            Some((a, b)) => {
                let (start, end, first, last) = if reversed {
                    (b, a, c.last.reverse(), c.first.reverse())
                } else {
                    (a, b, c.first, c.last)
                };
                from.entry(start)
                    .or_default()
                    .push((use_, first, last, end));
            }
        }
    }
    let mut used = vec![false; chains.len()];
    let starts: Vec<(usize, Use, Dir, usize)> = from
        .iter()
        .flat_map(|(s, v)| v.iter().map(move |(u, _, last, end)| (*s, *u, *last, *end)))
        .collect();
    for (start, first_use, first_last, first_end) in starts {
        if used[first_use.chain] {
            continue;
        }
        used[first_use.chain] = true;
        let c = &chains[first_use.chain];
        let outside = if first_use.reversed {
            c.left_pixel
        } else {
            c.right_pixel
        };
        let mut uses = vec![first_use];
        let (mut at, mut incoming) = (first_end, first_last);
        while at != start {
            let Some(options) = from.get(&at) else { break };
            let open: Vec<&(Use, Dir, Dir, usize)> =
                options.iter().filter(|o| !used[o.0.chain]).collect();
            let next = match open.as_slice() {
                [] => break,
                [only] => *only,
                several => several
                    .iter()
                    .find(|o| o.1 == incoming.right_turn())
                    .or_else(|| several.iter().find(|o| o.1 == incoming))
                    .unwrap_or(&several[0]),
            };
            used[next.0.chain] = true;
            uses.push(next.0);
            at = next.3;
            incoming = next.2;
        }
        loops.push((uses, outside));
    }
    loops
}

/// The 4-connected components of the pixels whose label satisfies `member`, two
/// neighbours joining when `joined` says so of their labels. Returns a component id per
/// pixel (`u32::MAX` for the others) and the number of components, numbered in the
/// order of their first pixel.
pub fn components(
    labels: &Labels,
    member: impl Fn(u8) -> bool,
    joined: impl Fn(u8, u8) -> bool,
) -> (Vec<u32>, usize) {
    // One pass in reading order joining each pixel to its left and upper neighbours
    // (union-find), then one numbering the roots in the order they are first met.
    let (w, h) = (labels.width, labels.height);
    let l = &labels.labels;
    let mut comp = vec![u32::MAX; w * h];
    let mut parent: Vec<u32> = Vec::new();
    for y in 0..h {
        for x in 0..w {
            let i = y * w + x;
            if !member(l[i]) {
                continue;
            }
            let near = |j: usize| (comp[j] != u32::MAX && joined(l[j], l[i])).then(|| comp[j]);
            let left = if x > 0 { near(i - 1) } else { None };
            let up = if y > 0 { near(i - w) } else { None };
            comp[i] = match (left, up) {
                (None, None) => {
                    parent.push(parent.len() as u32);
                    parent.len() as u32 - 1
                }
                (Some(a), None) | (None, Some(a)) => a,
                (Some(a), Some(b)) => {
                    join(&mut parent, a, b);
                    a
                }
            };
        }
    }
    let mut number = vec![u32::MAX; parent.len()];
    let mut count = 0;
    for c in comp.iter_mut().filter(|c| **c != u32::MAX) {
        let r = root(&mut parent, *c) as usize;
        if number[r] == u32::MAX {
            number[r] = count;
            count += 1;
        }
        *c = number[r];
    }
    (comp, count as usize)
}

/// The root of `c` in the union-find forest `parent` (paths halved on the way).
pub fn root(parent: &mut [u32], mut c: u32) -> u32 {
    while parent[c as usize] != c {
        parent[c as usize] = parent[parent[c as usize] as usize];
        c = parent[c as usize];
    }
    c
}

/// Join the sets of `a` and `b` in `parent`, under the lower root.
pub fn join(parent: &mut [u32], a: u32, b: u32) {
    let (ra, rb) = (root(parent, a), root(parent, b));
    parent[ra.max(rb) as usize] = ra.min(rb);
}

/// For the pixels not satisfying `inside`, 4-connected: whether a pixel's component is
/// a hole the shape may paint over (every pixel of it satisfies `fillable` and none
/// touches the image's edge). Components are explored when first asked about, and only
/// until they fail, so the wide background costs little.
pub struct Holes<'a> {
    labels: &'a Labels,
    inside: &'a dyn Fn(u8) -> bool,
    fillable: &'a dyn Fn(u8) -> bool,
    /// Per pixel: 0 not yet known, FILLABLE, NOT_FILLABLE, or SEEN during a walk.
    state: Vec<u8>,
}

const FILLABLE: u8 = 1;
const NOT_FILLABLE: u8 = 2;
const SEEN: u8 = 3;

impl<'a> Holes<'a> {
    pub fn new(
        labels: &'a Labels,
        inside: &'a dyn Fn(u8) -> bool,
        fillable: &'a dyn Fn(u8) -> bool,
    ) -> Holes<'a> {
        let state = vec![0; labels.width * labels.height];
        Holes {
            labels,
            inside,
            fillable,
            state,
        }
    }

    /// Whether the pixel (`x`, `y`), inside the image and not inside the shape, is in a
    /// hole the shape may paint over.
    pub fn fillable(&mut self, x: usize, y: usize) -> bool {
        let (w, h) = (self.labels.width, self.labels.height);
        let start = y * w + x;
        match self.state[start] {
            FILLABLE => return true,
            NOT_FILLABLE => return false,
            _ => {}
        }
        let mut walked = vec![start];
        let mut next = 0;
        self.state[start] = SEEN;
        let mut ok = true;
        while ok && next < walked.len() {
            let i = walked[next];
            next += 1;
            let (x, y) = (i % w, i / w);
            ok = (self.fillable)(self.labels.labels[i]) && x > 0 && y > 0 && x + 1 < w && y + 1 < h;
            if !ok {
                break;
            }
            for j in [i - 1, i + 1, i - w, i + w] {
                if (self.inside)(self.labels.labels[j]) {
                    continue;
                }
                match self.state[j] {
                    0 => {
                        self.state[j] = SEEN;
                        walked.push(j);
                    }
                    NOT_FILLABLE => {
                        ok = false;
                        break;
                    }
                    _ => {}
                }
            }
        }
        let verdict = if ok { FILLABLE } else { NOT_FILLABLE };
        for i in walked {
            self.state[i] = verdict;
        }
        ok
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ragged_colour_edges_are_smoothed_but_the_background_edge_is_kept() {
        // Label 1 left of x = 6, label 2 right, with single-pixel notches of the other
        // label along the edge, all inside a ring of background.
        let (w, h) = (12usize, 10usize);
        let mut labels = Labels {
            width: w,
            height: h,
            labels: (0..w * h)
                .map(|i| {
                    let (x, y) = (i % w, i / w);
                    if x == 0 || y == 0 || x == w - 1 || y == h - 1 {
                        0
                    } else if x < 6 {
                        1
                    } else {
                        2
                    }
                })
                .collect(),
        };
        labels.labels[4 * w + 5] = 2;
        labels.labels[6 * w + 6] = 1;
        labels.smooth_colour_edges();
        assert_eq!(labels.labels[4 * w + 5], 1);
        assert_eq!(labels.labels[6 * w + 6], 2);
        // The straight part of the edge and the background ring are unchanged.
        assert_eq!(labels.labels[2 * w + 5], 1);
        assert_eq!(labels.labels[2 * w + 6], 2);
        assert!((0..w).all(|x| labels.labels[x] == 0 && labels.labels[(h - 1) * w + x] == 0));
        assert_eq!(labels.labels[w + 1], 1);
    }

    struct Alpha(Vec<f64>, usize);
    impl Cover for Alpha {
        fn share(&self, x: usize, y: usize, i: u8, _j: u8) -> f64 {
            let a = self.0[y * self.1 + x];
            if i == 0 {
                1.0 - a
            } else {
                a
            }
        }
    }

    /// A `w` x `h` image of the box coverage of the half-plane left of x = `edge`
    /// rotated... kept simple: a vertical edge at `edge`, rows `top..bottom`.
    fn bar(w: usize, h: usize, left: f64, right: f64) -> (Labels, Alpha) {
        let mut a = vec![0.0; w * h];
        for y in 2..h - 2 {
            for x in 0..w {
                let (x0, x1) = (x as f64, x as f64 + 1.0);
                a[y * w + x] = (x1.min(right) - x0.max(left)).clamp(0.0, 1.0);
            }
        }
        let labels = a.iter().map(|&v| u8::from(v >= 0.5)).collect();
        (
            Labels {
                width: w,
                height: h,
                labels,
            },
            Alpha(a, w),
        )
    }

    #[test]
    fn edges_are_placed_between_pixels_by_their_coverage() {
        for (left, right) in [(3.3, 9.8), (3.5, 9.5), (2.75, 10.2), (3.0, 12.0)] {
            let (labels, cover) = bar(16, 8, left, right);
            let chains = chains(&labels, &cover, &|| false).unwrap();
            assert_eq!(chains.len(), 1, "one closed loop");
            let c = &chains[0];
            assert!(c.ends.is_none());
            // Points on the left and right sides (those at the rows' centres).
            for p in &c.points {
                if (p[1] - p[1].floor() - 0.5).abs() < 1e-9 {
                    let d = (p[0] - left).abs().min((p[0] - right).abs());
                    assert!(d < 1e-9, "{p:?} off the edges {left}, {right}");
                }
            }
        }
    }

    #[test]
    fn three_labels_meet_at_junctions_and_chains_keep_their_sides() {
        // Left half label 1, right half label 2, inside a background margin.
        let (w, h) = (10, 6);
        let labels: Vec<u8> = (0..w * h)
            .map(|i| {
                let (x, y) = (i % w, i / w);
                if x == 0 || y == 0 || x == w - 1 || y == h - 1 {
                    0
                } else if x < 5 {
                    1
                } else {
                    2
                }
            })
            .collect();
        let labels = Labels {
            width: w,
            height: h,
            labels,
        };
        let solid = |x: usize, y: usize| u8::from(labels.get(x as i64, y as i64) != 0) as f64;
        let cover = Alpha((0..w * h).map(|i| solid(i % w, i / w)).collect(), w);
        struct Mix<'a>(&'a Alpha, &'a Labels);
        impl Cover for Mix<'_> {
            fn share(&self, x: usize, y: usize, i: u8, j: u8) -> f64 {
                if i != 0 && j != 0 {
                    f64::from(self.1.get(x as i64, y as i64) == i)
                } else {
                    self.0.share(x, y, i, j)
                }
            }
        }
        let cv = Mix(&cover, &labels);
        let chains = chains(&labels, &cv, &|| false).unwrap();
        // 1|0 outer, 2|0 outer, 1|2 middle: three chains between two junctions.
        assert_eq!(chains.len(), 3, "{chains:?}");
        assert!(chains.iter().all(|c| c.ends.is_some()));
        let outline = outlines(&chains, &|l| l == 1);
        assert_eq!(outline.len(), 1);
        assert_eq!(outline[0].0.len(), 2, "the 1|0 chain and the 1|2 chain");
        let all = outlines(&chains, &|l| l != 0);
        assert_eq!(all.len(), 1);
        assert_eq!(all[0].0.len(), 2, "the two outer chains");
    }

    #[test]
    fn specks_take_their_neighbours_label() {
        let mut l = Labels {
            width: 6,
            height: 6,
            labels: vec![1; 36],
        };
        l.labels[14] = 2;
        l.labels[0] = 0;
        l.drop_specks(4);
        assert!(l.labels.iter().all(|&v| v == 1));
    }
}
