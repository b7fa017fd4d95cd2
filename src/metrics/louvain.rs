//! `blocs` and `modularity`: the blocs the positive ties actually form, found by Louvain
//! modularity maximisation on G⁺ (weighted, resolution 1), and Newman's weighted modularity of
//! that partition:
//!
//! Q = Σ_c [ L_c / W − (D_c / 2W)² ], W = Σ of the positive weights, L_c = Σ w inside bloc c,
//! D_c = Σ of the weighted degrees of c's members.
//!
//! The Louvain method (Blondel et al. 2008) is run deterministically, without any randomness:
//! - each level visits the nodes in a fixed order, moves each to the neighbouring bloc with the
//!   best gain (or to a bloc of its own when staying costs), and repeats passes until none
//!   moves; the blocs are then merged into single nodes (inner weight kept as a self-loop) and
//!   the next level runs, until a level merges nothing;
//! - the first level is run from several fixed visiting orders (see `visiting_orders`), until
//!   [`BEST_HITS`] of them have reached the best modularity so far;
//! - each result is then refined for as long as a round raises Q: the levels rerun from the
//!   current partition, and a Leiden-style round lets whole sub-blocs change bloc;
//! - the best of them (the earlier order on ties) gets the same rounds plus a Kernighan–Lin
//!   style sweep of single moves (taking losing moves and keeping the best prefix), which
//!   escapes the local optima of greedy moves (leaving out the first round's rerun of steps
//!   that provably just failed).
//!
//! All arithmetic is plain IEEE 754 in a fixed order, so the result is the same on every run and
//! machine; a move must beat the alternatives by a relative 1e-12, so that rounding noise
//! cannot make nodes oscillate. Quality bar (docs/performance.md): at least the best of ten seeded
//! networkx Louvain runs minus 0.01. Measured on 4,277 positive graphs of random datasets (3 to
//! 90 states, built and scored with the reference oracle): never below it; the largest shortfall to
//! the networkx best was 0.0069.
//!
//! Complexity: building the level-0 graph is O(n²); a pass of a level is O(n + e) (the graph of
//! a level is one compact adjacency array), merging blocs into a level O(n + e + Σ d·log d) (d:
//! a bloc's number of neighbouring blocs); a
//! Kernighan–Lin sweep is O(n·e) (e ≤ n² edges of G⁺), so O(n³) at worst; the number of
//! passes, rounds and orders is bounded by constants ([`MAX_PASSES`], [`MAX_ROUNDS`],
//! 4 + [`MAX_STRIDES`], fewer on large graphs: [`STRIDE_BUDGET`]).

use super::View;

/// An upper bound on the node-moving passes of one level (a safety net; real graphs converge
/// in a handful).
pub const MAX_PASSES: usize = 1000;

/// An upper bound on the refinement rounds (rerunning the levels from the best partition so
/// far); each round must raise Q, so few are ever needed.
pub const MAX_ROUNDS: usize = 100;

/// A partition of the member set into blocs and its modularity.
#[derive(Debug, Clone, PartialEq)]
pub struct Blocs {
    /// Blocs of local indices, each ascending, ordered by their first member.
    pub blocs: Vec<Vec<usize>>,
    /// Newman's weighted modularity of the partition on G⁺\[members\].
    pub modularity: f64,
}

/// The graph of one Louvain level, in compact (CSR) form: node `i`'s neighbours are
/// `adj[off[i]..off[i + 1]]`, one allocation for the whole graph.
struct Level {
    /// Where each node's neighbours start in `adj` (n + 1 entries, the last = `adj.len()`).
    off: Vec<usize>,
    /// Neighbours (other nodes) with the summed weight, ascending by node within a node.
    adj: Vec<(usize, f64)>,
    /// Weighted degree, self-loops counted twice.
    strength: Vec<f64>,
}

impl Level {
    /// The level of per-node neighbour lists (for the tests' reference builders).
    #[cfg(test)]
    fn from_lists(lists: Vec<Vec<(usize, f64)>>, strength: Vec<f64>) -> Level {
        let mut off = Vec::with_capacity(lists.len() + 1);
        off.push(0);
        let mut adj = Vec::with_capacity(lists.iter().map(Vec::len).sum());
        for l in lists {
            adj.extend(l);
            off.push(adj.len());
        }
        Level { off, adj, strength }
    }

    /// The number of nodes.
    fn len(&self) -> usize {
        self.strength.len()
    }

    /// Node `i`'s neighbours with their weights.
    fn nbrs(&self, i: usize) -> &[(usize, f64)] {
        &self.adj[self.off[i]..self.off[i + 1]]
    }

    /// The same nodes and strengths with only the edges inside a group (`group`: one per
    /// node), in the same order.
    fn within(&self, group: &[usize]) -> Level {
        let mut off = Vec::with_capacity(self.off.len());
        off.push(0);
        let mut adj = Vec::with_capacity(self.adj.len());
        for (i, &gi) in group.iter().enumerate().take(self.len()) {
            adj.extend(self.nbrs(i).iter().filter(|&&(j, _)| group[j] == gi));
            off.push(adj.len());
        }
        Level {
            off,
            adj,
            strength: self.strength.clone(),
        }
    }
}

/// Louvain blocs of G⁺\[members\] (members: local indices, ascending); `None` when G⁺\[members\]
/// has no edge.
///
/// ```
/// use entente::metrics::{louvain::louvain, View};
/// // Two pairs {0,1} and {2,3}, tied strongly inside and weakly across.
/// let mut w = vec![0.0; 16];
/// for (i, j, x) in [(0, 1, 0.9), (2, 3, 0.9), (1, 2, 0.1)] {
///     w[i * 4 + j] = x;
///     w[j * 4 + i] = x;
/// }
/// let b = louvain(View::new(4, &w), &[0, 1, 2, 3]).unwrap();
/// assert_eq!(b.blocs, vec![vec![0, 1], vec![2, 3]]);
/// assert!(b.modularity > 0.3);
/// ```
pub fn louvain(v: View<'_>, members: &[usize]) -> Option<Blocs> {
    let m = members.len();
    let mut off = Vec::with_capacity(m + 1);
    off.push(0);
    let mut adj = Vec::new();
    let mut strength = vec![0.0f64; m];
    for (x, &i) in members.iter().enumerate() {
        let row = v.row(i);
        for (y, &j) in members.iter().enumerate() {
            let w = row[j];
            if y != x && w > 0.0 {
                adj.push((y, w));
                strength[x] += w;
            }
        }
        off.push(adj.len());
    }
    if adj.is_empty() {
        return None;
    }
    let level0 = Level { off, adj, strength };
    let assign = search(&level0, BEST_HITS, true);
    // Relabel blocs by first member, then collect.
    let mut label = vec![usize::MAX; m];
    let mut blocs: Vec<Vec<usize>> = Vec::new();
    for (x, &a) in assign.iter().enumerate() {
        if label[a] == usize::MAX {
            label[a] = blocs.len();
            blocs.push(Vec::new());
        }
        blocs[label[a]].push(members[x]);
    }
    let labels: Vec<usize> = assign.iter().map(|&a| label[a]).collect();
    let modularity = level_modularity(&level0, &labels);
    Some(Blocs { blocs, modularity })
}

/// The bloc search on the level-0 graph: deterministic restarts from fixed visiting orders,
/// each polished by the cheap rounds, stopped once `hits` restarts have reached the best
/// modularity so far (within 1e-12); the best (the earlier order on ties) is then polished with
/// vertex moving as well. With `skip`, the final polish leaves out the rerun of a round that
/// provably fails (see [`polish`]): the same result, cheaper. Returns the bloc of each node.
fn search(level0: &Level, hits: usize, skip: bool) -> Vec<usize> {
    let m = level0.len();
    let natural: Vec<usize> = (0..m).collect();
    let entries = level0.adj.len();
    let large = m.saturating_mul(entries + m) > LARGE_GRAPH;
    let strides = if large {
        0
    } else {
        (STRIDE_BUDGET / (entries + m)).clamp(MIN_STRIDES, MAX_STRIDES)
    };
    let mut orders = visiting_orders(&level0.strength, strides);
    if large {
        // natural and strongest-first only: see LARGE_GRAPH.
        orders.swap(1, 2);
        orders.truncate(2);
    }
    // (modularity, partition, restart index, its polish ended on a failed round)
    let mut best: Option<(f64, Vec<usize>, usize, bool)> = None;
    let mut reached = 0usize;
    for (r, order) in orders.iter().enumerate() {
        let assign = multilevel(level0, order, None);
        let q = level_modularity(level0, &assign);
        let (q, assign, converged) = polish(level0, order, (q, assign), 0, false);
        match &best {
            Some(b) if q <= b.0 + 1e-12 => {
                if q >= b.0 - 1e-12 {
                    reached += 1;
                }
            }
            _ => {
                best = Some((q, assign, r, converged));
                reached = 1;
            }
        }
        if reached >= hits {
            break;
        }
    }
    match best {
        Some((q, assign, r, converged)) => {
            // Restart 0 visits in natural order, as the final polish does: if its own polish
            // ended on a round whose level rerun and refinement both failed, the final polish's
            // first round would rerun exactly those two steps from the same partition.
            let known_failed = skip && r == 0 && converged;
            let kl_rounds = if large { 0 } else { MAX_ROUNDS };
            if known_failed && kl_rounds == 0 {
                assign
            } else {
                polish(level0, &natural, (q, assign), kl_rounds, known_failed).1
            }
        }
        None => natural,
    }
}

/// Stop the restarts once this many of them have reached the best modularity so far (within
/// 1e-12): where many restarts land on the same optimum, the later ones rarely beat it, while
/// in flat landscapes (where every restart ends somewhere else) the search runs in full.
/// Checked on the W1, W2, CSTO and 30-day-window workloads of docs/performance.md: the same
/// blocs on every date as running every restart; 4 changed one date of the 30-day-window
/// workload (a lower modularity by 1.4e-4).
pub const BEST_HITS: usize = 5;

/// Refinement rounds on a partition (with its modularity) until a round no longer raises Q:
/// rerun the levels from it, let whole sub-blocs move ([`refine`]) and, in the first
/// `kl_rounds` rounds, sweep single vertex moves ([`vertex_moves`]). Each step is kept only if
/// it raises Q. `known_failed` says that the first round's level rerun and refinement are
/// known not to raise Q (the same steps, from the same partition in the same order, just
/// failed), so they are skipped. Returns the partition, its Q, and whether the last round
/// failed (rather than the round limit being reached).
fn polish(
    g: &Level,
    order: &[usize],
    (mut q, mut assign): (f64, Vec<usize>),
    kl_rounds: usize,
    known_failed: bool,
) -> (f64, Vec<usize>, bool) {
    for round in 0..MAX_ROUNDS {
        let kl = round < kl_rounds;
        let mut improved = false;
        for step in 0..3 {
            let next = match step {
                0 | 1 if round == 0 && known_failed => continue,
                0 => multilevel(g, order, Some(&assign)),
                1 => refine(g, order, &assign),
                _ if kl => vertex_moves(g, &assign),
                _ => continue,
            };
            // The very same labels give the very same Q (same sums, same order), which does
            // not beat q: no need to compute it.
            if next == assign {
                continue;
            }
            let qn = level_modularity(g, &next);
            if qn > q + 1e-12 {
                assign = next;
                q = qn;
                improved = true;
            }
        }
        if !improved {
            return (q, assign, true);
        }
    }
    (q, assign, false)
}

/// The fixed visiting orders of the first level: dataset order, its reverse, strongest and
/// weakest first (ties in dataset order), and `strides` affine permutations x ↦ (s·x + o) mod m
/// with s coprime with m, taken offset by offset (o = 0, 1, …) and stride by stride within an
/// offset, skipping the identity: each a fixed reshuffle, so that the restarts explore
/// different greedy paths without any randomness.
fn visiting_orders(strength: &[f64], strides: usize) -> Vec<Vec<usize>> {
    let m = strength.len();
    let natural: Vec<usize> = (0..m).collect();
    let mut strongest = natural.clone();
    strongest.sort_by(|&a, &b| strength[b].total_cmp(&strength[a]));
    let mut weakest = natural.clone();
    weakest.sort_by(|&a, &b| strength[a].total_cmp(&strength[b]));
    let mut orders = vec![natural.iter().rev().copied().collect(), strongest, weakest];
    orders.insert(0, natural);
    let coprime: Vec<usize> = (1..m.max(2)).filter(|&s| gcd(s, m) == 1).collect();
    let affine = (0..m)
        .flat_map(|o| coprime.iter().map(move |&s| (s, o)))
        .filter(|&(s, o)| (s, o) != (1, 0))
        .take(strides);
    for (s, o) in affine {
        orders.push((0..m).map(|x| (s * x + o) % m).collect());
    }
    orders
}

/// Above this much work (nodes × (adjacency entries + nodes) of G⁺, the cost of one
/// Kernighan–Lin sweep) a graph is "large": it gets two restarts (dataset order and strongest
/// first) instead of up to 32, and no Kernighan–Lin sweep. Measured against the best of ten
/// seeded networkx Louvain runs (the quality bar is 0.01 below it) on the positive graphs of
/// generated workloads: 16 graphs of W1/W2 (200–250 states, 7,000–21,000 ties, all large) within
/// 0.0036 of it; 80- and 120-state graphs (1,800–4,800 ties, all under this threshold, full
/// search): see docs/performance.md. A threshold of 4,000 adjacency entries alone let an 80-state
/// graph fall 0.0116 short, hence the product (the effect on W2 is in docs/performance.md).
pub const LARGE_GRAPH: usize = 2_000_000;

/// At most this many affine permutations are tried (see `visiting_orders`)…
pub const MAX_STRIDES: usize = 28;
/// …at least this many…
pub const MIN_STRIDES: usize = 4;
/// …and otherwise as many as fit in this budget divided by the size of G⁺ (adjacency entries
/// plus nodes), so that large dense graphs do not pay 32 restarts.
pub const STRIDE_BUDGET: usize = 200_000;

fn gcd(a: usize, b: usize) -> usize {
    if b == 0 {
        a
    } else {
        gcd(b, a % b)
    }
}

/// Kernighan–Lin style vertex moving (Newman 2006) on a partition of `g`'s nodes: repeatedly
/// makes the best single move of a node not moved yet in this sweep (to a neighbouring bloc or
/// a new one of its own), even when it lowers Q, then keeps the best prefix of the sweep. This
/// escapes the local optima of greedy moves (a pair of nodes that gains only by moving
/// together). Sweeps repeat until one brings no gain. O(n·e) per sweep.
fn vertex_moves(g: &Level, assign: &[usize]) -> Vec<usize> {
    let n = g.len();
    let two_w: f64 = g.strength.iter().sum();
    let w = two_w / 2.0;
    let mut comm = assign.to_vec();
    let mut tot = vec![0.0f64; n];
    let mut size = vec![0usize; n];
    for (i, &c) in comm.iter().enumerate() {
        tot[c] += g.strength[i];
        size[c] += 1;
    }
    let mut to_comm = vec![0.0f64; n];
    let mut touched: Vec<usize> = Vec::new();
    let mut locked = vec![false; n];
    let mut moves: Vec<(usize, usize)> = Vec::new(); // (node, from)
    for _ in 0..MAX_ROUNDS {
        locked.fill(false);
        moves.clear();
        let (mut q, mut best_q, mut best_len) = (0.0f64, 0.0f64, 0usize);
        for _ in 0..n {
            // The best move of any unlocked node: (gain, node, target).
            let mut best: Option<(f64, usize, usize)> = None;
            for i in 0..n {
                if locked[i] {
                    continue;
                }
                let (ki, a) = (g.strength[i], comm[i]);
                for &(j, x) in g.nbrs(i) {
                    let c = comm[j];
                    if to_comm[c] == 0.0 {
                        touched.push(c);
                    }
                    to_comm[c] += x;
                }
                let kia = to_comm[a];
                let gain =
                    |kic: f64, dc: f64| (kic - kia) / w - ki * (dc - tot[a] + ki) / (2.0 * w * w);
                // A new bloc of its own: the lowest-numbered empty community.
                let mut cand = if size[a] > 1 {
                    size.iter()
                        .position(|&s| s == 0)
                        .map(|e| (gain(0.0, 0.0), e))
                } else {
                    None
                };
                for &c in &touched {
                    if c != a {
                        let gc = gain(to_comm[c], tot[c]);
                        if cand.map_or(true, |(b, _)| gc > b + 1e-12 * ki / w) {
                            cand = Some((gc, c));
                        }
                    }
                }
                for &c in &touched {
                    to_comm[c] = 0.0;
                }
                touched.clear();
                if let Some((gc, c)) = cand {
                    if best.map_or(true, |(b, _, _)| gc > b + 1e-15) {
                        best = Some((gc, i, c));
                    }
                }
            }
            let Some((gain, i, c)) = best else {
                break;
            };
            moves.push((i, comm[i]));
            tot[comm[i]] -= g.strength[i];
            size[comm[i]] -= 1;
            tot[c] += g.strength[i];
            size[c] += 1;
            comm[i] = c;
            locked[i] = true;
            q += gain;
            if q > best_q + 1e-12 {
                best_q = q;
                best_len = moves.len();
            }
        }
        // Undo the moves after the best prefix.
        while moves.len() > best_len {
            if let Some((i, from)) = moves.pop() {
                tot[comm[i]] -= g.strength[i];
                size[comm[i]] -= 1;
                tot[from] += g.strength[i];
                size[from] += 1;
                comm[i] = from;
            }
        }
        if best_len == 0 {
            break;
        }
    }
    comm
}

/// Louvain levels from `g`: the first level visits nodes in `order` and starts from `init` (a
/// community per node, values < n) or singletons; later levels start from singletons in node
/// order. Stops when a level merges nothing. Returns the bloc of each node of `g` (arbitrary
/// numbers < n).
fn multilevel(g: &Level, order: &[usize], init: Option<&[usize]>) -> Vec<usize> {
    let n = g.len();
    let (comm, k) = one_level(g, order, init);
    let mut assign = comm.clone();
    if k == n {
        return assign;
    }
    let mut level = aggregate(g, &comm, k);
    loop {
        let nodes = level.len();
        let natural: Vec<usize> = (0..nodes).collect();
        let (comm, k) = one_level(&level, &natural, None);
        if k == nodes {
            return assign;
        }
        for a in assign.iter_mut() {
            *a = comm[*a];
        }
        level = aggregate(&level, &comm, k);
    }
}

/// Leiden-style refinement of a partition `assign` of `g`'s nodes: splits each bloc into
/// sub-blocs (a Louvain level fenced inside the bloc), merges each sub-bloc into one node, and
/// reruns the levels from the blocs on that graph, so that whole sub-blocs can change bloc
/// (which single-node moves cannot do). Returns the new bloc of each node.
fn refine(g: &Level, order: &[usize], assign: &[usize]) -> Vec<usize> {
    let n = g.len();
    // The level fenced inside the blocs: only the edges within a bloc, the strengths (and so
    // 2W) of the whole graph. Filtered once here rather than on every pass of the level.
    let (sub, k) = one_level(&g.within(assign), order, None);
    if k == n {
        return multilevel(g, order, Some(assign));
    }
    let agg = aggregate(g, &sub, k);
    // The bloc of each sub-bloc, relabelled 0.. by first sub-bloc.
    let mut relabel = vec![usize::MAX; n];
    let mut init = vec![0usize; k];
    let mut next = 0;
    for (x, &c) in sub.iter().enumerate() {
        let b = assign[x];
        if relabel[b] == usize::MAX {
            relabel[b] = next;
            next += 1;
        }
        init[c] = relabel[b];
    }
    let natural: Vec<usize> = (0..k).collect();
    let res = multilevel(&agg, &natural, Some(&init));
    sub.iter().map(|&c| res[c]).collect()
}

/// One Louvain level: visits the nodes in `order`, moving each to the neighbouring community
/// with the best modularity gain, until a pass moves none. Starts from `init` or singletons.
/// Returns the community of each node, relabelled 0..k by first node, and k.
fn one_level(g: &Level, order: &[usize], init: Option<&[usize]>) -> (Vec<usize>, usize) {
    let n = g.len();
    let two_w: f64 = g.strength.iter().sum();
    let mut comm: Vec<usize> = match init {
        Some(c) => c.to_vec(),
        None => (0..n).collect(),
    };
    let mut tot = vec![0.0f64; n];
    let mut size = vec![0usize; n];
    for (i, &c) in comm.iter().enumerate() {
        tot[c] += g.strength[i];
        size[c] += 1;
    }
    let mut to_comm = vec![0.0f64; n];
    let mut seen = vec![false; n];
    let mut touched: Vec<usize> = Vec::new();
    // Visits in a row that left the state (communities, their tot bit for bit, sizes) as it
    // was. Once every node has been visited on the same state without changing it, every later
    // visit would be that same visit again (the order is a permutation): the level is done,
    // with the same result as finishing the pass and one more pass that moves nothing.
    let mut quiet = 0usize;
    let permutation = order.len() == n;
    'passes: for _ in 0..MAX_PASSES {
        let mut moved = false;
        for &i in order {
            if permutation && quiet >= n {
                break 'passes;
            }
            let ki = g.strength[i];
            let c0 = comm[i];
            let tot_before = tot[c0].to_bits();
            touched.push(c0);
            seen[c0] = true;
            let mut add = |j: usize, w: f64| {
                let c = comm[j];
                if !seen[c] {
                    seen[c] = true;
                    touched.push(c);
                }
                to_comm[c] += w;
            };
            g.nbrs(i).iter().for_each(|&(j, w)| add(j, w));
            tot[c0] -= ki;
            size[c0] -= 1;
            // Gain (up to a positive factor) of putting i into c: k_i,c − tot_c·k_i / 2W.
            let gain = |c: usize| to_comm[c] - tot[c] * ki / two_w;
            let mut best = c0;
            let mut best_gain = gain(c0);
            for &c in &touched[1..] {
                // With tot_c ≥ 0, gain(c) ≤ to_comm[c] (a non-negative term is subtracted, and
                // rounding is monotonic): a community whose to_comm cannot beat the bar is
                // skipped without the division, with the same outcome.
                let bar = best_gain + 1e-12 * ki;
                if to_comm[c] <= bar && tot[c] >= 0.0 {
                    continue;
                }
                let g = gain(c);
                if g > bar {
                    best = c;
                    best_gain = g;
                }
            }
            // A bloc of its own (gain 0) when staying costs and no neighbour is better.
            if size[c0] > 0 && 0.0 > best_gain + 1e-12 * ki {
                if let Some(e) = size.iter().position(|&s| s == 0) {
                    best = e;
                }
            }
            tot[best] += ki;
            size[best] += 1;
            if best != c0 {
                comm[i] = best;
                moved = true;
                quiet = 0;
            } else if tot[c0].to_bits() == tot_before {
                quiet += 1;
            } else {
                // (tot − k) + k rounded to another value: a change like a move.
                quiet = 0;
            }
            for &c in &touched {
                to_comm[c] = 0.0;
                seen[c] = false;
            }
            touched.clear();
        }
        if !moved {
            break;
        }
    }
    let k = number_by_first_use(&mut comm);
    (comm, k)
}

/// Renumbers the community labels of `comm` (each `< comm.len()`) 0, 1, 2, … in the order of
/// their first use, and returns how many there are.
pub(crate) fn number_by_first_use(comm: &mut [usize]) -> usize {
    let mut relabel = vec![usize::MAX; comm.len()];
    let mut k = 0;
    for c in comm.iter_mut() {
        if relabel[*c] == usize::MAX {
            relabel[*c] = k;
            k += 1;
        }
        *c = relabel[*c];
    }
    k
}

/// The graph whose nodes are the communities of `g` (self-loops keep the inner weight).
///
/// The nodes are grouped by community (ascending within one); each community's weights to the
/// others are summed as its members' edges are visited (member by member, each member's
/// neighbours in order), then its neighbour list is sorted: the same sums in the same order as
/// [`aggregate_sorted`] (whose stable sort keeps that order within a neighbour), in
/// O(n + e + Σ d·log d) (d: a community's number of neighbouring communities), without a k × k
/// table.
fn aggregate(g: &Level, comm: &[usize], k: usize) -> Level {
    let n = g.len();
    // Counting sort of the nodes by community, stable (ascending within a community).
    let mut start = vec![0usize; k + 1];
    for &c in comm {
        start[c + 1] += 1;
    }
    for c in 0..k {
        start[c + 1] += start[c];
    }
    let mut cursor = start.clone();
    let mut by_comm = vec![0usize; n];
    for (i, &c) in comm.iter().enumerate() {
        by_comm[cursor[c]] = i;
        cursor[c] += 1;
    }
    let mut strength = vec![0.0f64; k];
    let mut off = Vec::with_capacity(k + 1);
    off.push(0);
    let mut adj: Vec<(usize, f64)> = Vec::new();
    let mut sum = vec![0.0f64; k];
    let mut hit = vec![false; k];
    let mut touched: Vec<usize> = Vec::new();
    for c in 0..k {
        for &i in &by_comm[start[c]..start[c + 1]] {
            strength[c] += g.strength[i];
            for &(j, w) in g.nbrs(i) {
                let d = comm[j];
                if d != c {
                    if hit[d] {
                        sum[d] += w;
                    } else {
                        hit[d] = true;
                        sum[d] = w;
                        touched.push(d);
                    }
                }
            }
        }
        touched.sort_unstable();
        for &d in &touched {
            adj.push((d, sum[d]));
            hit[d] = false;
        }
        touched.clear();
        off.push(adj.len());
    }
    Level { off, adj, strength }
}

/// [`aggregate`] by sorting each community's neighbour list (the reference it is tested
/// against).
#[cfg(test)]
fn aggregate_sorted(g: &Level, comm: &[usize], k: usize) -> Level {
    let mut strength = vec![0.0f64; k];
    let mut dense_rows: Vec<Vec<(usize, f64)>> = vec![Vec::new(); k];
    for i in 0..g.len() {
        let (ci, nbrs) = (comm[i], g.nbrs(i));
        strength[ci] += g.strength[i];
        for &(j, w) in nbrs {
            let cj = comm[j];
            if cj != ci {
                dense_rows[ci].push((cj, w));
            }
        }
    }
    // Merge duplicate neighbours (sort by node; summation order is fixed by the sort).
    let lists = dense_rows
        .into_iter()
        .map(|mut row| {
            row.sort_by_key(|&(c, _)| c);
            let mut out: Vec<(usize, f64)> = Vec::with_capacity(row.len());
            for (c, w) in row {
                match out.last_mut() {
                    Some(last) if last.0 == c => last.1 += w,
                    _ => out.push((c, w)),
                }
            }
            out
        })
        .collect();
    Level::from_lists(lists, strength)
}

/// [`modularity`] computed from the level-0 graph of G⁺\[members\] (whose adjacency lists hold
/// exactly the positive entries of the members' rows, in the same order): the same sums in the
/// same order, hence the same value to the bit, in O(m + e) instead of O(m²).
fn level_modularity(g: &Level, labels: &[usize]) -> f64 {
    let m = g.len();
    let mut inner = vec![0.0f64; m];
    let mut bloc_degree = vec![0.0f64; m];
    let mut total = 0.0f64;
    // The same additions in the same order as one entry at a time, with the sums of node x's
    // bloc held in registers along x's row (+0.0 added for an edge that does not count: the
    // sums are of positive weights, never −0.0).
    for (x, &lx) in labels.iter().enumerate().take(m) {
        let (mut degree, mut within) = (bloc_degree[lx], inner[lx]);
        for &(y, w) in g.nbrs(x) {
            degree += w;
            total += w;
            within += if y > x && lx == labels[y] { w } else { 0.0 };
        }
        bloc_degree[lx] = degree;
        inner[lx] = within;
    }
    if total == 0.0 {
        return 0.0;
    }
    let half = total / 2.0;
    inner
        .iter()
        .zip(&bloc_degree)
        .map(|(l, d)| l / half - (d / total) * (d / total))
        .sum()
}

/// Newman's weighted modularity (resolution 1) on G⁺\[members\] of the partition given by
/// `labels` (a bloc number per member position, numbers in 0..members.len()). 0 when G⁺ has no
/// edge. O(m²).
///
/// ```
/// use entente::metrics::{louvain::modularity, View};
/// // One edge, both ends in one bloc: Q = 1 − 1 = 0; apart: 0 − 2·(1/2)² = −0.5.
/// let w = [0.0, 0.7, 0.7, 0.0];
/// assert_eq!(modularity(View::new(2, &w), &[0, 1], &[0, 0]), 0.0);
/// assert_eq!(modularity(View::new(2, &w), &[0, 1], &[0, 1]), -0.5);
/// ```
pub fn modularity(v: View<'_>, members: &[usize], labels: &[usize]) -> f64 {
    let m = members.len();
    let mut inner = vec![0.0f64; m];
    let mut bloc_degree = vec![0.0f64; m];
    let mut total = 0.0f64;
    for (x, &i) in members.iter().enumerate() {
        let row = v.row(i);
        for (y, &j) in members.iter().enumerate() {
            let w = row[j];
            if y != x && w > 0.0 {
                bloc_degree[labels[x]] += w;
                total += w;
                if y > x && labels[x] == labels[y] {
                    inner[labels[x]] += w;
                }
            }
        }
    }
    if total == 0.0 {
        return 0.0;
    }
    let half = total / 2.0;
    inner
        .iter()
        .zip(&bloc_degree)
        .map(|(l, d)| l / half - (d / total) * (d / total))
        .sum()
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use crate::metrics::testutil::*;

    proptest::proptest! {
        #[test]
        fn level_modularity_is_modularity_to_the_bit(
            n in 1usize..60,
            seed in proptest::prelude::any::<u64>(),
            blocs in 1usize..6,
        ) {
            let mut r = crate::base::Rng::new(seed, 1);
            let mut w = vec![0.0; n * n];
            for i in 0..n {
                for j in (i + 1)..n {
                    let x = r.unit() * 2.0 - 1.2;
                    w[i * n + j] = x;
                    w[j * n + i] = x;
                }
            }
            let members: Vec<usize> = (0..n).filter(|&i| i % 5 != 3).collect();
            let v = View::new(n, &w);
            let mut adj = vec![Vec::new(); members.len()];
            for (x, &i) in members.iter().enumerate() {
                for (y, &j) in members.iter().enumerate() {
                    if y != x && v.w(i, j) > 0.0 {
                        adj[x].push((y, v.w(i, j)));
                    }
                }
            }
            let g = Level::from_lists(adj, vec![0.0; members.len()]);
            let k = blocs.min(members.len()).max(1) as u64;
            let labels: Vec<usize> = (0..members.len()).map(|_| r.below(k) as usize).collect();
            proptest::prop_assert_eq!(
                level_modularity(&g, &labels).to_bits(),
                modularity(v, &members, &labels).to_bits()
            );
        }
    }

    proptest::proptest! {
        #[test]
        fn aggregation_is_the_sorted_one(
            n in 1usize..50,
            seed in proptest::prelude::any::<u64>(),
            k in 1usize..12,
        ) {
            let mut r = crate::base::Rng::new(seed, 2);
            let mut adj = vec![Vec::new(); n];
            for (i, row) in adj.iter_mut().enumerate() {
                for j in 0..n {
                    if j != i && r.below(3) > 0 {
                        row.push((j, r.unit()));
                    }
                }
            }
            let strength = (0..n).map(|_| r.unit()).collect();
            let g = Level::from_lists(adj, strength);
            let k = k.min(n);
            let comm: Vec<usize> = (0..n).map(|_| r.below(k as u64) as usize).collect();
            let (a, b) = (aggregate(&g, &comm, k), aggregate_sorted(&g, &comm, k));
            proptest::prop_assert_eq!(&a.off, &b.off);
            for (p, q) in a.adj.iter().zip(&b.adj) {
                proptest::prop_assert_eq!((p.0, p.1.to_bits()), (q.0, q.1.to_bits()));
            }
            let bits = |v: &[f64]| v.iter().map(|x| x.to_bits()).collect::<Vec<_>>();
            proptest::prop_assert_eq!(bits(&a.strength), bits(&b.strength));
        }
    }

    /// [`one_level`] as it was, with a fence tested per edge on every pass and every pass run
    /// to the end (the reference for [`Level::within`] and for the early stop): one Louvain level: visits the nodes in `order`, moving each to the neighbouring community
    /// with the best modularity gain, until a pass moves none. Starts from `init` or singletons.
    /// With a `fence` (a group per node), a node only considers neighbours of its own group.
    /// Returns the community of each node, relabelled 0..k by first node, and k.
    fn one_level_fenced(
        g: &Level,
        order: &[usize],
        init: Option<&[usize]>,
        fence: Option<&[usize]>,
    ) -> (Vec<usize>, usize) {
        let n = g.len();
        let two_w: f64 = g.strength.iter().sum();
        let mut comm: Vec<usize> = match init {
            Some(c) => c.to_vec(),
            None => (0..n).collect(),
        };
        let mut tot = vec![0.0f64; n];
        let mut size = vec![0usize; n];
        for (i, &c) in comm.iter().enumerate() {
            tot[c] += g.strength[i];
            size[c] += 1;
        }
        let mut to_comm = vec![0.0f64; n];
        let mut seen = vec![false; n];
        let mut touched: Vec<usize> = Vec::new();
        for _ in 0..MAX_PASSES {
            let mut moved = false;
            for &i in order {
                let ki = g.strength[i];
                let c0 = comm[i];
                touched.push(c0);
                seen[c0] = true;
                let mut add = |j: usize, w: f64| {
                    let c = comm[j];
                    if !seen[c] {
                        seen[c] = true;
                        touched.push(c);
                    }
                    to_comm[c] += w;
                };
                match fence {
                    None => g.nbrs(i).iter().for_each(|&(j, w)| add(j, w)),
                    Some(f) => g
                        .nbrs(i)
                        .iter()
                        .filter(|&&(j, _)| f[j] == f[i])
                        .for_each(|&(j, w)| add(j, w)),
                }
                tot[c0] -= ki;
                size[c0] -= 1;
                // Gain (up to a positive factor) of putting i into c: k_i,c − tot_c·k_i / 2W.
                let gain = |c: usize| to_comm[c] - tot[c] * ki / two_w;
                let mut best = c0;
                let mut best_gain = gain(c0);
                for &c in &touched[1..] {
                    // With tot_c ≥ 0, gain(c) ≤ to_comm[c] (a non-negative term is subtracted, and
                    // rounding is monotonic): a community whose to_comm cannot beat the bar is
                    // skipped without the division, with the same outcome.
                    let bar = best_gain + 1e-12 * ki;
                    if to_comm[c] <= bar && tot[c] >= 0.0 {
                        continue;
                    }
                    let g = gain(c);
                    if g > bar {
                        best = c;
                        best_gain = g;
                    }
                }
                // A bloc of its own (gain 0) when staying costs and no neighbour is better.
                if size[c0] > 0 && 0.0 > best_gain + 1e-12 * ki {
                    if let Some(e) = size.iter().position(|&s| s == 0) {
                        best = e;
                    }
                }
                tot[best] += ki;
                size[best] += 1;
                if best != c0 {
                    comm[i] = best;
                    moved = true;
                }
                for &c in &touched {
                    to_comm[c] = 0.0;
                    seen[c] = false;
                }
                touched.clear();
            }
            if !moved {
                break;
            }
        }
        let k = number_by_first_use(&mut comm);
        (comm, k)
    }

    proptest::proptest! {
        #[test]
        fn a_level_within_blocs_is_the_fenced_level(
            n in 1usize..50,
            seed in proptest::prelude::any::<u64>(),
            groups in 1u64..8,
            zero in 0u64..4,
        ) {
            let w = random_matrix(n, seed, zero, -0.8);
            let g = level0(n, &w);
            let mut r = crate::base::Rng::new(seed, 3);
            let group: Vec<usize> = (0..n).map(|_| r.below(groups) as usize).collect();
            let order: Vec<usize> = (0..n).rev().collect();
            proptest::prop_assert_eq!(
                one_level(&g.within(&group), &order, None),
                one_level_fenced(&g, &order, None, Some(&group))
            );
        }

        #[test]
        fn stopping_once_every_node_stays_changes_nothing(
            n in 1usize..60,
            seed in proptest::prelude::any::<u64>(),
            groups in 1u64..8,
            zero in 0u64..4,
        ) {
            let w = random_matrix(n, seed, zero, -0.8);
            let g = level0(n, &w);
            let mut r = crate::base::Rng::new(seed, 4);
            let init: Vec<usize> = (0..n).map(|_| r.below(groups.min(n as u64)) as usize).collect();
            for order in visiting_orders(&g.strength, 6) {
                for start in [None, Some(&init[..])] {
                    proptest::prop_assert_eq!(
                        one_level(&g, &order, start),
                        one_level_fenced(&g, &order, start, None)
                    );
                }
            }
        }
    }

    /// The level-0 graph of a random matrix, as `louvain` builds it.
    fn level0(n: usize, w: &[f64]) -> Level {
        let mut adj = vec![Vec::new(); n];
        let mut strength = vec![0.0; n];
        for i in 0..n {
            for j in 0..n {
                if j != i && w[i * n + j] > 0.0 {
                    adj[i].push((j, w[i * n + j]));
                    strength[i] += w[i * n + j];
                }
            }
        }
        Level::from_lists(adj, strength)
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(48))]
        #[test]
        fn skipping_the_failed_rerun_changes_nothing(
            n in 2usize..40,
            seed in proptest::prelude::any::<u64>(),
            zero in 0u64..4,
        ) {
            let w = random_matrix(n, seed, zero, -0.8);
            let g = level0(n, &w);
            proptest::prop_assume!(!g.adj.is_empty());
            for hits in [1, BEST_HITS, usize::MAX] {
                proptest::prop_assert_eq!(search(&g, hits, true), search(&g, hits, false));
            }
        }
    }

    #[test]
    fn two_cliques_split_at_the_bridge() {
        let w = two_cliques();
        let b = louvain(View::new(6, &w), &[0, 1, 2, 3, 4, 5]).unwrap();
        assert_eq!(b.blocs, vec![vec![0, 1, 2], vec![3, 4, 5]]);
        // W = 3.5; each clique L = 1.5, D = 3.5: Q = 2·(1.5/3.5 − 1/4) = 5/14.
        approx(b.modularity, 5.0 / 14.0);
    }

    #[test]
    fn star_and_triangle_are_one_bloc() {
        let star = matrix(4, &[(0, 1, 0.4), (0, 2, 0.4), (0, 3, 0.4)]);
        let b = louvain(View::new(4, &star), &[0, 1, 2, 3]).unwrap();
        assert_eq!(b.blocs, vec![vec![0, 1, 2, 3]]);
        approx(b.modularity, 0.0);
        // Triangle with one negative edge: G⁺ is a path 0–1–2, one bloc.
        let tri = matrix(3, &[(0, 1, 0.6), (1, 2, 0.3), (0, 2, -0.3)]);
        let b = louvain(View::new(3, &tri), &[0, 1, 2]).unwrap();
        assert_eq!(b.blocs, vec![vec![0, 1, 2]]);
    }

    #[test]
    fn isolated_states_are_their_own_blocs() {
        let w = matrix(4, &[(1, 2, 0.5)]);
        let b = louvain(View::new(4, &w), &[0, 1, 2, 3]).unwrap();
        assert_eq!(b.blocs, vec![vec![0], vec![1, 2], vec![3]]);
        approx(b.modularity, 0.0);
        assert_eq!(louvain(View::new(4, &w), &[0, 3]), None);
        let neg = matrix(2, &[(0, 1, -0.5)]);
        assert_eq!(louvain(View::new(2, &neg), &[0, 1]), None);
    }

    #[test]
    fn ring_of_cliques_needs_aggregation() {
        // Eight 4-cliques in a ring joined by single weak edges: the best partition is the
        // cliques, found after a level of single moves and aggregation.
        let k = 8;
        let n = 4 * k;
        let mut edges = Vec::new();
        for c in 0..k {
            for a in 0..4 {
                for b in (a + 1)..4 {
                    edges.push((4 * c + a, 4 * c + b, 1.0));
                }
            }
            edges.push((4 * c + 3, (4 * (c + 1)) % n, 0.1));
        }
        let w = matrix(n, &edges);
        let all: Vec<usize> = (0..n).collect();
        let b = louvain(View::new(n, &w), &all).unwrap();
        let want: Vec<Vec<usize>> = (0..k).map(|c| (4 * c..4 * c + 4).collect()).collect();
        assert_eq!(b.blocs, want);
        let labels: Vec<usize> = (0..n).map(|x| x / 4).collect();
        approx(b.modularity, modularity(View::new(n, &w), &all, &labels));
    }
}
