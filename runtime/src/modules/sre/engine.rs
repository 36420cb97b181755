//! The matcher: runs the code list `re._compiler` produces against a string, with
//! CPython 3.11's semantics (which alternative wins, what groups hold after
//! backtracking, zero-width repeat protection, `lastindex`).
//!
//! Backtracking never recurses on the native stack: every sub-match that may have to be
//! resumed is a `Ctx` on an explicit stack, and a finished sub-match returns to its
//! parent through the `Jump` it was started with (the parent's resume point). Group
//! marks saved for backtracking live on a second explicit stack. A pathological
//! pattern therefore uses heap memory, never native stack.
//!
//! The subject is a slice of code units: `u8` for bytes and ASCII `str` (matched in
//! place, no copy), `u32` for other `str` (decoded once per operation). Positions are
//! indices into that slice, which are code point indices for `str`.
use super::chars::*;
use super::constants::*;
use super::prog::{Check, CheckKind, Lookahead, Prog};

/// A code unit of the subject.
pub trait Unit: Copy {
    fn u(self) -> u32;
    /// Index of the first `c` in `hay`.
    fn find(hay: &[Self], c: u32) -> Option<usize>;
    /// Index of the last `c` in `hay`.
    fn rfind(hay: &[Self], c: u32) -> Option<usize>;
    /// Length of the run of units equal to `c` at the start of `hay`.
    fn run_of(hay: &[Self], c: u32) -> usize;
    /// Append the characters of `units` to `s`.
    fn extend_string(s: &mut String, units: &[Self]) {
        s.extend(
            units
                .iter()
                .map(|c| char::from_u32(c.u()).unwrap_or('\u{fffd}')),
        );
    }
}

impl Unit for u8 {
    #[inline(always)]
    fn u(self) -> u32 {
        u32::from(self)
    }
    /// `str` subjects come as bytes only when ASCII: one copy.
    fn extend_string(s: &mut String, units: &[u8]) {
        if units.is_ascii()
            && let Ok(t) = std::str::from_utf8(units)
        {
            s.push_str(t);
        } else {
            s.extend(units.iter().map(|&c| char::from(c)));
        }
    }
    #[inline]
    fn find(hay: &[u8], c: u32) -> Option<usize> {
        if c > 255 {
            return None;
        }
        memchr::memchr(c as u8, hay)
    }
    #[inline]
    fn rfind(hay: &[u8], c: u32) -> Option<usize> {
        if c > 255 {
            return None;
        }
        memchr::memrchr(c as u8, hay)
    }
    #[inline]
    fn run_of(hay: &[u8], c: u32) -> usize {
        hay.iter()
            .position(|&x| u32::from(x) != c)
            .unwrap_or(hay.len())
    }
}

impl Unit for u32 {
    #[inline(always)]
    fn u(self) -> u32 {
        self
    }
    #[inline]
    fn find(hay: &[u32], c: u32) -> Option<usize> {
        hay.iter().position(|&x| x == c)
    }
    #[inline]
    fn rfind(hay: &[u32], c: u32) -> Option<usize> {
        hay.iter().rposition(|&x| x == c)
    }
    #[inline]
    fn run_of(hay: &[u32], c: u32) -> usize {
        hay.iter().position(|&x| x != c).unwrap_or(hay.len())
    }
}

/// Why a match stopped without an answer (CPython's SRE_ERROR_*).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SreError {
    /// Malformed code (an UNTIL outside a REPEAT, an unknown opcode).
    Illegal,
}

/// A REPEAT in progress (`state->repeat` chain in CPython).
#[derive(Clone, Copy)]
struct Repeat {
    /// Items matched so far; -1 before the first.
    count: isize,
    /// Code index of the REPEAT's skip operand (min at +1, max at +2, body at +3).
    pc: usize,
    /// The enclosing repeat (index into `State::repeats`), or NONE.
    prev: usize,
    /// Position where the last item started (zero-width protection); -1 none.
    last_ptr: isize,
}

const NONE: usize = usize::MAX;

/// Where a finished child context resumes its parent.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Jump {
    None,
    MaxUntil1,
    MaxUntil2,
    MaxUntil3,
    MinUntil1,
    MinUntil2,
    MinUntil3,
    Repeat,
    RepeatOne1,
    RepeatOne2,
    MinRepeatOne,
    Branch,
    Assert,
    AssertNot,
    PossRepeat1,
    PossRepeat2,
    AtomicGroup,
}

/// One sub-match in progress.
#[derive(Clone, Copy)]
struct Ctx {
    jump: Jump,
    toplevel: bool,
    /// Saved code index and position while a child runs.
    pc: usize,
    ptr: usize,
    count: isize,
    /// REPEAT_ONE's literal tail character.
    chr: u32,
    /// The repeat this context works on (UNTIL, REPEAT).
    rep: usize,
    lastmark: isize,
    lastindex: isize,
    /// A repeat's `last_ptr` saved across a child (CPython's DATA_PUSH of it).
    saved_last_ptr: isize,
}

impl Ctx {
    fn new(jump: Jump, toplevel: bool) -> Ctx {
        Ctx {
            jump,
            toplevel,
            pc: 0,
            ptr: 0,
            count: 0,
            chr: 0,
            rep: NONE,
            lastmark: -1,
            lastindex: -1,
            saved_last_ptr: -1,
        }
    }
}

/// What the driver loop does next.
#[derive(Clone, Copy)]
enum Step {
    /// A new context starts at (pc, state.ptr).
    Enter,
    /// Run opcodes at (pc, ptr).
    Run,
    /// The current context finished.
    Ret(bool),
    /// Loops of the repeat operators, resumed after each child.
    Branch,
    RepeatOneLit,
    RepeatOneAny,
    MinRepeatOne,
    PossRepeatMin,
    PossRepeatMore,
}

/// Matching state for one subject (CPython's SRE_STATE).
pub struct State<'s, T: Unit> {
    pub text: &'s [T],
    /// Start of the current attempt; after a match, where it began.
    pub start: usize,
    /// End of the searchable region (`endpos`).
    pub end: usize,
    /// The `pos` and `endpos` arguments, clamped.
    pub pos: usize,
    pub endpos: usize,
    /// After a match, where it ended.
    pub ptr: usize,
    /// Group marks (2 per group), -1 when unset; valid up to `lastmark`.
    pub marks: Vec<isize>,
    pub lastmark: isize,
    pub lastindex: isize,
    /// A search must not return an empty match at `start` (after an empty match).
    pub must_advance: bool,
    /// fullmatch: a top-level SUCCESS must be at `end`.
    pub match_all: bool,
    repeat: usize,
    repeats: Vec<Repeat>,
    mark_stack: Vec<isize>,
    ctxs: Vec<Ctx>,
}

impl<'s, T: Unit> State<'s, T> {
    /// State for `text[pos..endpos]` (clamped as CPython clamps them).
    pub fn new(text: &'s [T], pos: i64, endpos: i64, ngroups: usize) -> State<'s, T> {
        let len = text.len() as i64;
        let start = pos.clamp(0, len) as usize;
        let end = endpos.clamp(0, len) as usize;
        State {
            text,
            start,
            end,
            pos: start,
            endpos: end,
            ptr: start,
            marks: vec![-1; 2 * ngroups],
            lastmark: -1,
            lastindex: -1,
            must_advance: false,
            match_all: false,
            repeat: NONE,
            repeats: Vec::new(),
            mark_stack: Vec::new(),
            ctxs: Vec::new(),
        }
    }

    /// Forget the groups of the previous attempt (CPython's state_reset).
    pub fn reset(&mut self) {
        self.lastmark = -1;
        self.lastindex = -1;
        self.repeat = NONE;
        self.repeats.clear();
        self.mark_stack.clear();
    }

    /// Span of group `g` (1-based) after a match, if it took part.
    pub fn group_span(&self, g: usize) -> Option<(usize, usize)> {
        let i = 2 * (g - 1);
        if (i as isize) >= self.lastmark {
            return None;
        }
        let (a, b) = (self.marks[i], self.marks[i + 1]);
        if a < 0 || b < 0 {
            return None;
        }
        Some((a as usize, b as usize))
    }

    #[inline(always)]
    fn at(&self, i: usize) -> u32 {
        self.text[i].u()
    }

    fn mark_push(&mut self, lastmark: isize) {
        if lastmark >= 0 {
            let n = lastmark as usize + 1;
            self.mark_stack.extend_from_slice(&self.marks[..n]);
        }
    }

    fn mark_pop(&mut self, lastmark: isize, discard: bool) {
        if lastmark >= 0 {
            let n = lastmark as usize + 1;
            let base = self.mark_stack.len() - n;
            self.marks[..n].copy_from_slice(&self.mark_stack[base..]);
            if discard {
                self.mark_stack.truncate(base);
            }
        }
    }

    fn mark_discard(&mut self, lastmark: isize) {
        if lastmark >= 0 {
            let n = lastmark as usize + 1;
            let len = self.mark_stack.len();
            self.mark_stack.truncate(len - n);
        }
    }

    /// Is `ptr` at the position AT code `at` asks for?
    fn at_pos(&self, ptr: usize, at: u32) -> bool {
        let end = self.end;
        let word = |f: fn(u32) -> bool| -> (bool, bool) {
            let before = ptr > 0 && f(self.at(ptr - 1));
            let here = ptr < end && f(self.at(ptr));
            (before, here)
        };
        match at {
            AT_BEGINNING | AT_BEGINNING_STRING => ptr == 0,
            AT_BEGINNING_LINE => ptr == 0 || is_linebreak(self.at(ptr - 1)),
            AT_END => (end.wrapping_sub(ptr) == 1 && is_linebreak(self.at(ptr))) || ptr == end,
            AT_END_LINE => ptr == end || is_linebreak(self.at(ptr)),
            AT_END_STRING => ptr == end,
            AT_BOUNDARY | AT_NON_BOUNDARY | AT_LOC_BOUNDARY | AT_LOC_NON_BOUNDARY
            | AT_UNI_BOUNDARY | AT_UNI_NON_BOUNDARY => {
                if end == 0 {
                    return false;
                }
                let f: fn(u32) -> bool = match at {
                    AT_BOUNDARY | AT_NON_BOUNDARY => ascii_is_word,
                    AT_LOC_BOUNDARY | AT_LOC_NON_BOUNDARY => loc_is_word,
                    _ => uni_is_word,
                };
                let (b, h) = word(f);
                if matches!(at, AT_BOUNDARY | AT_LOC_BOUNDARY | AT_UNI_BOUNDARY) {
                    b != h
                } else {
                    b == h
                }
            }
            _ => false,
        }
    }

    /// Match the single-character item at `code[pc..]` repeatedly from `self.ptr`, at
    /// most `maxcount` times; the number matched (CPython's SRE(count)).
    fn count(&mut self, code: &Prog, pc: usize, maxcount: u32) -> Result<usize, SreError> {
        let start = self.ptr;
        let mut end = self.end;
        if maxcount != MAXREPEAT && (maxcount as usize) < end - start.min(end) {
            end = start + maxcount as usize;
        }
        let text = self.text;
        let mut p = start;
        let chr = op(code, pc + 1);
        match op(code, pc) {
            IN => {
                while p < end && code.in_set(pc + 2, text[p].u()) {
                    p += 1;
                }
            }
            ANY => {
                if p < end {
                    p = T::find(&text[p..end], u32::from(b'\n')).map_or(end, |i| p + i);
                }
            }
            ANY_ALL => p = end.max(p),
            LITERAL => {
                if p < end {
                    p += T::run_of(&text[p..end], chr);
                }
            }
            LITERAL_IGNORE => {
                while p < end && lower_ascii(text[p].u()) == chr {
                    p += 1;
                }
            }
            LITERAL_UNI_IGNORE => {
                while p < end && lower_unicode(text[p].u()) == chr {
                    p += 1;
                }
            }
            LITERAL_LOC_IGNORE => {
                while p < end && char_loc_ignore(chr, text[p].u()) {
                    p += 1;
                }
            }
            NOT_LITERAL => {
                if p < end {
                    p = T::find(&text[p..end], chr).map_or(end, |i| p + i);
                }
            }
            NOT_LITERAL_IGNORE => {
                while p < end && lower_ascii(text[p].u()) != chr {
                    p += 1;
                }
            }
            NOT_LITERAL_UNI_IGNORE => {
                while p < end && lower_unicode(text[p].u()) != chr {
                    p += 1;
                }
            }
            NOT_LITERAL_LOC_IGNORE => {
                while p < end && !char_loc_ignore(chr, text[p].u()) {
                    p += 1;
                }
            }
            _ => {
                // Any other one-character item: run the general matcher on it.
                while self.ptr < end {
                    if !self.run(code, pc, false)? {
                        break;
                    }
                }
                return Ok(self.ptr - start);
            }
        }
        Ok(p - start)
    }

    /// Can the alternative whose skip word is at `pc` start at `ptr`? (A BRANCH tries
    /// only those that can.)
    fn alt_may_start(&self, code: &Prog, pc: usize, ptr: usize) -> bool {
        let mut budget = LOOKAHEAD_BUDGET;
        self.may_start_at(code, pc + 1, ptr, &mut budget, 0)
    }

    /// A search's cheap test before a match attempt at `ptr` of the code at `pc`:
    /// can the attempt get past its first fixed-width items? False only when it
    /// certainly fails (CPython tries every position with the full matcher).
    #[inline]
    fn may_start(&self, code: &Prog, pc: usize, ptr: usize) -> bool {
        match lookahead_of(code, pc) {
            // A look-ahead that can never refuse (`\s*`, `^x|y*`) is skipped.
            Some(la) => match &la.ways {
                None => true,
                Some(ways) => ways.iter().any(|w| self.passes(w, ptr)),
            },
            None => {
                let mut budget = LOOKAHEAD_BUDGET;
                self.may_start_at(code, pc, ptr, &mut budget, 0)
            }
        }
    }

    /// Does `ptr` pass every check of a look-ahead way?
    #[inline]
    fn passes(&self, way: &[Check], ptr: usize) -> bool {
        way.iter().all(|c| {
            let p = ptr + c.off;
            match &c.kind {
                CheckKind::Set { bits, wide } => {
                    p < self.end && {
                        let ch = self.at(p);
                        if ch < 256 {
                            bits[(ch >> 6) as usize] >> (ch & 63) & 1 != 0
                        } else {
                            *wide
                        }
                    }
                }
                CheckKind::At(at) => self.at_pos(p, *at),
            }
        })
    }

    /// Walk the code from `q` as a matcher at `p` would while it only meets items of
    /// one character, group marks, position assertions, and BRANCHes (each alternative
    /// followed through its JUMP into what comes after the BRANCH). Anything else, or
    /// a spent `budget` (items looked at, over all alternatives), answers true.
    fn may_start_at(
        &self,
        code: &Prog,
        mut q: usize,
        mut p: usize,
        budget: &mut u32,
        depth: u32,
    ) -> bool {
        loop {
            if *budget == 0 {
                return true;
            }
            *budget -= 1;
            match op(code, q) {
                MARK => q += 2,
                AT => {
                    if !self.at_pos(p, op(code, q + 1)) {
                        return false;
                    }
                    q += 2;
                }
                JUMP => q += 1 + op(code, q + 1) as usize,
                BRANCH => {
                    if depth >= 4 {
                        return true;
                    }
                    let mut alt = q + 1;
                    loop {
                        let skip = op(code, alt);
                        if skip == 0 {
                            return false;
                        }
                        if self.may_start_at(code, alt + 1, p, budget, depth + 1) {
                            return true;
                        }
                        alt += skip as usize;
                    }
                }
                REPEAT_ONE | MIN_REPEAT_ONE | POSSESSIVE_REPEAT_ONE => {
                    // At least one item first, when the minimum asks for one.
                    if op(code, q + 2) == 0 {
                        return true;
                    }
                    return self.item_matches(code, q + 4, p).unwrap_or(true);
                }
                _ => match self.item_matches(code, q, p) {
                    Some(true) => {
                        q = item_end(code, q);
                        p += 1;
                    }
                    Some(false) => return false,
                    None => return true,
                },
            }
        }
    }

    /// Does the one-character item at `q` match at `p`? None for other code.
    #[inline(always)]
    fn item_matches(&self, code: &Prog, q: usize, p: usize) -> Option<bool> {
        let o = op(code, q);
        if !matches!(o, LITERAL | NOT_LITERAL | IN | ANY | ANY_ALL | CATEGORY) {
            return None;
        }
        if p >= self.end {
            return Some(false);
        }
        let ch = self.at(p);
        Some(match o {
            LITERAL => ch == op(code, q + 1),
            NOT_LITERAL => ch != op(code, q + 1),
            IN => code.in_set(q + 2, ch),
            ANY => !is_linebreak(ch),
            ANY_ALL => true,
            _ => category(op(code, q + 1), ch),
        })
    }

    /// Find the first match starting at or after `self.start` (CPython's sre_search):
    /// on success `self.start..self.ptr` is the match.
    pub fn search(&mut self, code: &Prog) -> Result<bool, SreError> {
        let mut ptr = self.start;
        let mut end = self.end;
        if ptr > end {
            return Ok(false);
        }
        let mut pc = 0;
        let mut flags = 0;
        let mut prefix_len = 0;
        let mut prefix_skip = 0;
        let mut prefix_at = 0;
        let mut charset_at = None;
        if op(code, 0) == INFO {
            // <INFO> <skip> <flags> <min> <max> <prefix or charset>
            flags = op(code, 2);
            let min = op(code, 3) as usize;
            if min != 0 && end - ptr < min {
                return Ok(false);
            }
            if min > 1 {
                // Leave room for the shortest match (at least one character).
                end -= min - 1;
                if end <= ptr {
                    end = ptr;
                }
            }
            if flags & INFO_PREFIX != 0 {
                // <length> <skip> <prefix> <overlap table>
                prefix_len = op(code, 5) as usize;
                prefix_skip = op(code, 6) as usize;
                prefix_at = 7;
            } else if flags & INFO_CHARSET != 0 {
                charset_at = Some(5);
            }
            pc = 1 + op(code, 1) as usize;
        }
        let text = self.text;
        let reset = |st: &mut Self| {
            st.lastmark = -1;
            st.lastindex = -1;
        };

        if prefix_len == 1 {
            // The pattern starts with one known character: find it fast.
            let c = op(code, prefix_at);
            end = self.end;
            self.must_advance = false;
            while ptr < end {
                match T::find(&text[ptr..end], c) {
                    Some(i) => ptr += i,
                    None => return Ok(false),
                }
                self.start = ptr;
                self.ptr = ptr + prefix_skip;
                if flags & INFO_LITERAL != 0 {
                    return Ok(true);
                }
                if self.run(code, pc + 2 * prefix_skip, false)? {
                    return Ok(true);
                }
                ptr += 1;
                reset(self);
            }
            return Ok(false);
        }

        if prefix_len > 1 {
            // A known prefix: scan with its overlap table (Knuth-Morris-Pratt).
            end = self.end;
            if prefix_len > end - ptr {
                return Ok(false);
            }
            let prefix = |i: usize| op(code, prefix_at + i);
            let overlap = |i: usize| op(code, prefix_at + prefix_len - 1 + i) as usize;
            while ptr < end {
                let c = prefix(0);
                match T::find(&text[ptr..end], c) {
                    Some(i) => ptr += i + 1,
                    None => return Ok(false),
                }
                if ptr >= end {
                    return Ok(false);
                }
                let mut i = 1;
                self.must_advance = false;
                loop {
                    if text[ptr].u() == prefix(i) {
                        i += 1;
                        if i != prefix_len {
                            ptr += 1;
                            if ptr >= end {
                                return Ok(false);
                            }
                            continue;
                        }
                        self.start = ptr + 1 - prefix_len;
                        self.ptr = ptr + 1 + prefix_skip - prefix_len;
                        if flags & INFO_LITERAL != 0 {
                            return Ok(true);
                        }
                        if self.run(code, pc + 2 * prefix_skip, false)? {
                            return Ok(true);
                        }
                        ptr += 1;
                        if ptr >= end {
                            return Ok(false);
                        }
                        reset(self);
                    }
                    i = overlap(i);
                    if i == 0 {
                        break;
                    }
                }
            }
            return Ok(false);
        }

        if let Some(cs) = charset_at {
            // The first character is from a known set.
            end = self.end;
            self.must_advance = false;
            loop {
                while ptr < end && !code.in_set(cs, text[ptr].u()) {
                    ptr += 1;
                }
                if ptr >= end {
                    return Ok(false);
                }
                if self.may_start(code, pc, ptr) {
                    self.start = ptr;
                    self.ptr = ptr;
                    if self.run(code, pc, false)? {
                        return Ok(true);
                    }
                    reset(self);
                }
                ptr += 1;
            }
        }

        // General case: try every position.
        self.start = ptr;
        self.ptr = ptr;
        let mut found = self.run(code, pc, true)?;
        self.must_advance = false;
        if !found
            && op(code, pc) == AT
            && matches!(op(code, pc + 1), AT_BEGINNING | AT_BEGINNING_STRING)
        {
            self.start = end;
            self.ptr = end;
            return Ok(false);
        }
        while !found && ptr < end {
            ptr += 1;
            reset(self);
            if !self.may_start(code, pc, ptr) {
                continue;
            }
            self.start = ptr;
            self.ptr = ptr;
            found = self.run(code, pc, false)?;
        }
        Ok(found)
    }

    /// Match at `self.ptr` (CPython's sre_match): fullmatch when `match_all`.
    pub fn match_here(&mut self, code: &Prog) -> Result<bool, SreError> {
        self.run(code, 0, true)
    }

    /// Run the code from `pc0` at `self.ptr`; on success `self.ptr` is the match end.
    fn run(&mut self, code: &Prog, pc0: usize, toplevel: bool) -> Result<bool, SreError> {
        // Contexts of this run sit above `base` (a nested run, from `count`, stacks
        // its own above the caller's).
        let base = self.ctxs.len();
        self.ctxs.push(Ctx::new(Jump::None, toplevel));
        let r = self.drive(code, pc0, base);
        self.ctxs.truncate(base);
        r
    }

    #[allow(
        clippy::cognitive_complexity,
        reason = "one dispatch loop over the opcodes, as CPython's sre"
    )]
    fn drive(&mut self, code: &Prog, pc0: usize, base: usize) -> Result<bool, SreError> {
        let end = self.end;
        let mut pc = pc0;
        let mut ptr = self.ptr;
        let mut step = Step::Enter;

        // Start a child context at `$next` (CPython's DO_JUMP): the current context
        // saves its place and resumes through `$jump` when the child returns.
        macro_rules! jump {
            ($l:lifetime, $jump:expr, $next:expr, $top:expr) => {{
                let next = $next;
                let top = $top;
                let cur = self.ctxs.last_mut().unwrap();
                cur.pc = pc;
                cur.ptr = ptr;
                self.ctxs.push(Ctx::new($jump, top));
                pc = next;
                step = Step::Enter;
                continue $l;
            }};
        }
        macro_rules! ctx {
            () => {
                self.ctxs.last_mut().unwrap()
            };
        }
        macro_rules! ret {
            ($l:lifetime, $b:expr) => {{
                step = Step::Ret($b);
                continue $l;
            }};
        }
        macro_rules! lastmark_save {
            () => {{
                let (lm, li) = (self.lastmark, self.lastindex);
                let c = ctx!();
                c.lastmark = lm;
                c.lastindex = li;
            }};
        }
        macro_rules! lastmark_restore {
            () => {{
                let c = ctx!();
                self.lastmark = c.lastmark;
                self.lastindex = c.lastindex;
            }};
        }

        'drive: loop {
            match step {
                Step::Enter => {
                    ptr = self.ptr;
                    if op(code, pc) == INFO {
                        let min = op(code, pc + 3) as usize;
                        if min != 0 && end.wrapping_sub(ptr) < min {
                            ret!('drive, false);
                        }
                        pc += op(code, pc + 1) as usize + 1;
                    }
                    step = Step::Run;
                }
                Step::Run => {
                    // The opcode loop: straight-line opcodes run here; the others set
                    // `step` and continue the driver loop.
                    loop {
                        let o = op(code, pc);
                        pc += 1;
                        match o {
                            MARK => {
                                let i = op(code, pc) as usize;
                                if i & 1 == 1 {
                                    self.lastindex = (i / 2 + 1) as isize;
                                }
                                if i >= self.marks.len() {
                                    self.marks.resize(i + 1, -1);
                                }
                                if i as isize > self.lastmark {
                                    let from = (self.lastmark + 1) as usize;
                                    for m in &mut self.marks[from..i] {
                                        *m = -1;
                                    }
                                    self.lastmark = i as isize;
                                }
                                self.marks[i] = ptr as isize;
                                pc += 1;
                            }
                            LITERAL => {
                                if ptr >= end || self.at(ptr) != op(code, pc) {
                                    break;
                                }
                                pc += 1;
                                ptr += 1;
                            }
                            NOT_LITERAL => {
                                if ptr >= end || self.at(ptr) == op(code, pc) {
                                    break;
                                }
                                pc += 1;
                                ptr += 1;
                            }
                            SUCCESS => {
                                let top = ctx!().toplevel;
                                if top
                                    && ((self.match_all && ptr != end)
                                        || (self.must_advance && ptr == self.start))
                                {
                                    break;
                                }
                                self.ptr = ptr;
                                step = Step::Ret(true);
                                break;
                            }
                            AT => {
                                if !self.at_pos(ptr, op(code, pc)) {
                                    break;
                                }
                                pc += 1;
                            }
                            CATEGORY => {
                                if ptr >= end || !category(op(code, pc), self.at(ptr)) {
                                    break;
                                }
                                pc += 1;
                                ptr += 1;
                            }
                            ANY => {
                                if ptr >= end || is_linebreak(self.at(ptr)) {
                                    break;
                                }
                                ptr += 1;
                            }
                            ANY_ALL => {
                                if ptr >= end {
                                    break;
                                }
                                ptr += 1;
                            }
                            IN | IN_IGNORE | IN_UNI_IGNORE | IN_LOC_IGNORE => {
                                if ptr >= end {
                                    break;
                                }
                                let ch = self.at(ptr);
                                let ok = match o {
                                    IN => code.in_set(pc + 1, ch),
                                    IN_IGNORE => code.in_set(pc + 1, lower_ascii(ch)),
                                    IN_UNI_IGNORE => code.in_set(pc + 1, lower_unicode(ch)),
                                    _ => charset_loc_ignore(code, pc + 1, ch),
                                };
                                if !ok {
                                    break;
                                }
                                pc += op(code, pc) as usize;
                                ptr += 1;
                            }
                            LITERAL_IGNORE
                            | LITERAL_UNI_IGNORE
                            | LITERAL_LOC_IGNORE
                            | NOT_LITERAL_IGNORE
                            | NOT_LITERAL_UNI_IGNORE
                            | NOT_LITERAL_LOC_IGNORE => {
                                if ptr >= end {
                                    break;
                                }
                                let ch = self.at(ptr);
                                let p = op(code, pc);
                                let eq = match o {
                                    LITERAL_IGNORE | NOT_LITERAL_IGNORE => lower_ascii(ch) == p,
                                    LITERAL_UNI_IGNORE | NOT_LITERAL_UNI_IGNORE => {
                                        lower_unicode(ch) == p
                                    }
                                    _ => char_loc_ignore(p, ch),
                                };
                                let want = matches!(
                                    o,
                                    LITERAL_IGNORE | LITERAL_UNI_IGNORE | LITERAL_LOC_IGNORE
                                );
                                if eq != want {
                                    break;
                                }
                                pc += 1;
                                ptr += 1;
                            }
                            JUMP | INFO => {
                                pc += op(code, pc) as usize;
                            }
                            BRANCH => {
                                lastmark_save!();
                                if self.repeat != NONE {
                                    let lm = ctx!().lastmark;
                                    self.mark_push(lm);
                                }
                                step = Step::Branch;
                                break;
                            }
                            REPEAT_ONE => {
                                let min = op(code, pc + 1) as usize;
                                if (min as isize) > end as isize - ptr as isize {
                                    break;
                                }
                                self.ptr = ptr;
                                let count = self.count(code, pc + 3, op(code, pc + 2))?;
                                ptr += count;
                                if count < min {
                                    break;
                                }
                                let next = pc + op(code, pc) as usize;
                                if op(code, next) == SUCCESS
                                    && ptr == self.end
                                    && !(ctx!().toplevel && self.must_advance && ptr == self.start)
                                {
                                    self.ptr = ptr;
                                    step = Step::Ret(true);
                                    break;
                                }
                                lastmark_save!();
                                let c = ctx!();
                                c.count = count as isize;
                                let lm = c.lastmark;
                                if self.repeat != NONE {
                                    self.mark_push(lm);
                                }
                                // A tail that starts with a literal (after group marks,
                                // which consume nothing) can only match where that
                                // character is: skip the other positions.
                                let mut t = next;
                                while op(code, t) == MARK {
                                    t += 2;
                                }
                                if op(code, t) == LITERAL {
                                    ctx!().chr = op(code, t + 1);
                                    step = Step::RepeatOneLit;
                                } else {
                                    step = Step::RepeatOneAny;
                                }
                                break;
                            }
                            MIN_REPEAT_ONE => {
                                let min = op(code, pc + 1) as usize;
                                if (min as isize) > end as isize - ptr as isize {
                                    break;
                                }
                                self.ptr = ptr;
                                let count = if min == 0 {
                                    0
                                } else {
                                    let c = self.count(code, pc + 3, min as u32)?;
                                    if c < min {
                                        break;
                                    }
                                    ptr += c;
                                    c
                                };
                                let next = pc + op(code, pc) as usize;
                                let top = ctx!().toplevel;
                                if op(code, next) == SUCCESS
                                    && !(top
                                        && ((self.match_all && ptr != self.end)
                                            || (self.must_advance && ptr == self.start)))
                                {
                                    self.ptr = ptr;
                                    step = Step::Ret(true);
                                    break;
                                }
                                lastmark_save!();
                                let c = ctx!();
                                c.count = count as isize;
                                let lm = c.lastmark;
                                if self.repeat != NONE {
                                    self.mark_push(lm);
                                }
                                step = Step::MinRepeatOne;
                                break;
                            }
                            POSSESSIVE_REPEAT_ONE => {
                                let min = op(code, pc + 1) as usize;
                                if ptr + min > end {
                                    break;
                                }
                                self.ptr = ptr;
                                let count = self.count(code, pc + 3, op(code, pc + 2))?;
                                ptr += count;
                                if count < min {
                                    break;
                                }
                                pc += op(code, pc) as usize;
                                if op(code, pc) == SUCCESS
                                    && ptr == self.end
                                    && !(ctx!().toplevel && self.must_advance && ptr == self.start)
                                {
                                    self.ptr = ptr;
                                    step = Step::Ret(true);
                                    break;
                                }
                            }
                            REPEAT => {
                                self.repeats.push(Repeat {
                                    count: -1,
                                    pc,
                                    prev: self.repeat,
                                    last_ptr: -1,
                                });
                                let r = self.repeats.len() - 1;
                                self.repeat = r;
                                ctx!().rep = r;
                                self.ptr = ptr;
                                let next = pc + op(code, pc) as usize;
                                let top = ctx!().toplevel;
                                let cur = self.ctxs.last_mut().unwrap();
                                cur.pc = pc;
                                cur.ptr = ptr;
                                self.ctxs.push(Ctx::new(Jump::Repeat, top));
                                pc = next;
                                step = Step::Enter;
                                break;
                            }
                            MAX_UNTIL | MIN_UNTIL => {
                                let r = self.repeat;
                                if r == NONE {
                                    return Err(SreError::Illegal);
                                }
                                self.ptr = ptr;
                                let count = self.repeats[r].count + 1;
                                let rpc = self.repeats[r].pc;
                                let c = ctx!();
                                c.rep = r;
                                c.count = count;
                                let top = c.toplevel;
                                let min = op(code, rpc + 1) as isize;
                                let max = op(code, rpc + 2);
                                if count < min {
                                    self.repeats[r].count = count;
                                    let j = if o == MAX_UNTIL {
                                        Jump::MaxUntil1
                                    } else {
                                        Jump::MinUntil1
                                    };
                                    let cur = self.ctxs.last_mut().unwrap();
                                    cur.pc = pc;
                                    cur.ptr = ptr;
                                    self.ctxs.push(Ctx::new(j, top));
                                    pc = rpc + 3;
                                    step = Step::Enter;
                                    break;
                                }
                                if o == MAX_UNTIL {
                                    if (count < max as isize || max == MAXREPEAT)
                                        && self.ptr as isize != self.repeats[r].last_ptr
                                    {
                                        self.repeats[r].count = count;
                                        lastmark_save!();
                                        let lm = ctx!().lastmark;
                                        self.mark_push(lm);
                                        ctx!().saved_last_ptr = self.repeats[r].last_ptr;
                                        self.repeats[r].last_ptr = self.ptr as isize;
                                        let cur = self.ctxs.last_mut().unwrap();
                                        cur.pc = pc;
                                        cur.ptr = ptr;
                                        self.ctxs.push(Ctx::new(Jump::MaxUntil2, top));
                                        pc = rpc + 3;
                                        step = Step::Enter;
                                        break;
                                    }
                                    // Cannot match another item: the tail must match.
                                    self.repeat = self.repeats[r].prev;
                                    let cur = self.ctxs.last_mut().unwrap();
                                    cur.pc = pc;
                                    cur.ptr = ptr;
                                    self.ctxs.push(Ctx::new(Jump::MaxUntil3, top));
                                    step = Step::Enter;
                                    break;
                                }
                                // MIN_UNTIL: try the tail first.
                                self.repeat = self.repeats[r].prev;
                                lastmark_save!();
                                if self.repeat != NONE {
                                    let lm = ctx!().lastmark;
                                    self.mark_push(lm);
                                }
                                let cur = self.ctxs.last_mut().unwrap();
                                cur.pc = pc;
                                cur.ptr = ptr;
                                self.ctxs.push(Ctx::new(Jump::MinUntil2, top));
                                step = Step::Enter;
                                break;
                            }
                            POSSESSIVE_REPEAT => {
                                self.ptr = ptr;
                                ctx!().count = 0;
                                step = Step::PossRepeatMin;
                                break;
                            }
                            ATOMIC_GROUP => {
                                self.ptr = ptr;
                                let cur = self.ctxs.last_mut().unwrap();
                                cur.pc = pc;
                                cur.ptr = ptr;
                                self.ctxs.push(Ctx::new(Jump::AtomicGroup, false));
                                pc += 1;
                                step = Step::Enter;
                                break;
                            }
                            GROUPREF | GROUPREF_IGNORE | GROUPREF_UNI_IGNORE
                            | GROUPREF_LOC_IGNORE => {
                                let g = 2 * op(code, pc) as usize;
                                if g as isize >= self.lastmark {
                                    break;
                                }
                                let (p, e) = (self.marks[g], self.marks[g + 1]);
                                if p < 0 || e < 0 || e < p {
                                    break;
                                }
                                let (p, e) = (p as usize, e as usize);
                                if end - ptr.min(end) < e - p {
                                    break;
                                }
                                let fold: fn(u32) -> u32 = match o {
                                    GROUPREF => |c| c,
                                    GROUPREF_IGNORE => lower_ascii,
                                    GROUPREF_UNI_IGNORE => lower_unicode,
                                    _ => lower_locale,
                                };
                                let text = self.text;
                                if !(p..e).all(|i| fold(text[i].u()) == fold(text[ptr + i - p].u()))
                                {
                                    break;
                                }
                                ptr += e - p;
                                pc += 1;
                            }
                            GROUPREF_EXISTS => {
                                let g = 2 * op(code, pc) as usize;
                                let exists = (g as isize) < self.lastmark && {
                                    let (p, e) = (self.marks[g], self.marks[g + 1]);
                                    p >= 0 && e >= 0 && e >= p
                                };
                                if exists {
                                    pc += 2;
                                } else {
                                    pc += op(code, pc + 1) as usize;
                                }
                            }
                            ASSERT => {
                                let back = op(code, pc + 1) as usize;
                                if ptr < back {
                                    break;
                                }
                                self.ptr = ptr - back;
                                let cur = self.ctxs.last_mut().unwrap();
                                cur.pc = pc;
                                cur.ptr = ptr;
                                self.ctxs.push(Ctx::new(Jump::Assert, false));
                                pc += 2;
                                step = Step::Enter;
                                break;
                            }
                            ASSERT_NOT => {
                                let back = op(code, pc + 1) as usize;
                                if ptr >= back {
                                    self.ptr = ptr - back;
                                    lastmark_save!();
                                    if self.repeat != NONE {
                                        let lm = ctx!().lastmark;
                                        self.mark_push(lm);
                                    }
                                    let cur = self.ctxs.last_mut().unwrap();
                                    cur.pc = pc;
                                    cur.ptr = ptr;
                                    self.ctxs.push(Ctx::new(Jump::AssertNot, false));
                                    pc += 2;
                                    step = Step::Enter;
                                    break;
                                }
                                pc += op(code, pc) as usize;
                            }
                            FAILURE => break,
                            _ => return Err(SreError::Illegal),
                        }
                    }
                    // A `break` without a new step is a failure of this context.
                    if matches!(step, Step::Run) {
                        step = Step::Ret(false);
                    }
                }
                Step::Ret(r) => {
                    let child = self.ctxs.pop().unwrap();
                    if self.ctxs.len() == base {
                        return Ok(r);
                    }
                    let c = *self.ctxs.last().unwrap();
                    pc = c.pc;
                    ptr = c.ptr;
                    let repeating = self.repeat != NONE;
                    match child.jump {
                        Jump::None => return Ok(r),
                        Jump::Branch => {
                            if r {
                                if repeating {
                                    self.mark_discard(c.lastmark);
                                }
                                ret!('drive, true);
                            }
                            if repeating {
                                self.mark_pop(c.lastmark, false);
                            }
                            lastmark_restore!();
                            pc += op(code, pc) as usize;
                            step = Step::Branch;
                        }
                        Jump::RepeatOne1 | Jump::RepeatOne2 => {
                            if r {
                                if repeating {
                                    self.mark_discard(c.lastmark);
                                }
                                ret!('drive, true);
                            }
                            if repeating {
                                self.mark_pop(c.lastmark, false);
                            }
                            lastmark_restore!();
                            ptr = ptr.wrapping_sub(1);
                            ctx!().count -= 1;
                            step = if child.jump == Jump::RepeatOne1 {
                                Step::RepeatOneLit
                            } else {
                                Step::RepeatOneAny
                            };
                        }
                        Jump::MinRepeatOne => {
                            if r {
                                if repeating {
                                    self.mark_discard(c.lastmark);
                                }
                                ret!('drive, true);
                            }
                            if repeating {
                                self.mark_pop(c.lastmark, false);
                            }
                            lastmark_restore!();
                            self.ptr = ptr;
                            if self.count(code, pc + 3, 1)? == 0 {
                                if self.repeat != NONE {
                                    self.mark_discard(c.lastmark);
                                }
                                ret!('drive, false);
                            }
                            ptr += 1;
                            ctx!().count += 1;
                            step = Step::MinRepeatOne;
                        }
                        Jump::Repeat => {
                            self.repeat = self.repeats[c.rep].prev;
                            self.repeats.truncate(c.rep);
                            ret!('drive, r);
                        }
                        Jump::MaxUntil1 | Jump::MinUntil1 => {
                            if r {
                                ret!('drive, true);
                            }
                            self.repeats[c.rep].count = c.count - 1;
                            self.ptr = ptr;
                            ret!('drive, false);
                        }
                        Jump::MaxUntil2 => {
                            self.repeats[c.rep].last_ptr = c.saved_last_ptr;
                            if r {
                                self.mark_discard(c.lastmark);
                                ret!('drive, true);
                            }
                            self.mark_pop(c.lastmark, true);
                            lastmark_restore!();
                            self.repeats[c.rep].count = c.count - 1;
                            self.ptr = ptr;
                            // Cannot match another item: the tail must match.
                            self.repeat = self.repeats[c.rep].prev;
                            jump!('drive, Jump::MaxUntil3, pc, c.toplevel);
                        }
                        Jump::MaxUntil3 => {
                            self.repeat = c.rep;
                            if r {
                                ret!('drive, true);
                            }
                            self.ptr = ptr;
                            ret!('drive, false);
                        }
                        Jump::MinUntil2 => {
                            let tail_repeat = self.repeat;
                            self.repeat = c.rep;
                            if r {
                                if tail_repeat != NONE {
                                    self.mark_discard(c.lastmark);
                                }
                                ret!('drive, true);
                            }
                            if tail_repeat != NONE {
                                self.mark_pop(c.lastmark, true);
                            }
                            lastmark_restore!();
                            self.ptr = ptr;
                            let rep = self.repeats[c.rep];
                            let max = op(code, rep.pc + 2);
                            if (c.count >= max as isize && max != MAXREPEAT)
                                || self.ptr as isize == rep.last_ptr
                            {
                                ret!('drive, false);
                            }
                            self.repeats[c.rep].count = c.count;
                            ctx!().saved_last_ptr = rep.last_ptr;
                            self.repeats[c.rep].last_ptr = self.ptr as isize;
                            jump!('drive, Jump::MinUntil3, rep.pc + 3, c.toplevel);
                        }
                        Jump::MinUntil3 => {
                            self.repeats[c.rep].last_ptr = c.saved_last_ptr;
                            if r {
                                ret!('drive, true);
                            }
                            self.repeats[c.rep].count = c.count - 1;
                            self.ptr = ptr;
                            ret!('drive, false);
                        }
                        Jump::Assert => {
                            if !r {
                                ret!('drive, false);
                            }
                            pc += op(code, pc) as usize;
                            step = Step::Run;
                        }
                        Jump::AssertNot => {
                            if r {
                                if repeating {
                                    self.mark_discard(c.lastmark);
                                }
                                ret!('drive, false);
                            }
                            if repeating {
                                self.mark_pop(c.lastmark, true);
                            }
                            lastmark_restore!();
                            pc += op(code, pc) as usize;
                            step = Step::Run;
                        }
                        Jump::PossRepeat1 => {
                            if !r {
                                self.ptr = ptr;
                                ret!('drive, false);
                            }
                            ctx!().count += 1;
                            step = Step::PossRepeatMin;
                        }
                        Jump::PossRepeat2 => {
                            if r {
                                self.mark_discard(c.lastmark);
                                ctx!().count += 1;
                                step = Step::PossRepeatMore;
                            } else {
                                self.mark_pop(c.lastmark, true);
                                lastmark_restore!();
                                self.ptr = ptr;
                                pc += op(code, pc) as usize + 1;
                                ptr = self.ptr;
                                step = Step::Run;
                            }
                        }
                        Jump::AtomicGroup => {
                            if !r {
                                self.ptr = ptr;
                                ret!('drive, false);
                            }
                            ptr = self.ptr;
                            pc += op(code, pc) as usize;
                            step = Step::Run;
                        }
                    }
                }
                Step::Branch => {
                    // pc is at an alternative's skip word (0 ends the list).
                    loop {
                        let skip = op(code, pc);
                        if skip == 0 {
                            if self.repeat != NONE {
                                let lm = ctx!().lastmark;
                                self.mark_discard(lm);
                            }
                            ret!('drive, false);
                        }
                        if !self.alt_may_start(code, pc, ptr) {
                            pc += skip as usize;
                            continue;
                        }
                        break;
                    }
                    self.ptr = ptr;
                    let top = ctx!().toplevel;
                    jump!('drive, Jump::Branch, pc + 1, top);
                }
                Step::RepeatOneLit => {
                    let min = op(code, pc + 1) as isize;
                    let chr = ctx!().chr;
                    let mut count = ctx!().count;
                    if count >= min && (ptr >= end || self.at(ptr) != chr) {
                        // Back off to the last position (not below min) holding `chr`.
                        let lowest = ptr - (count - min) as usize;
                        let hi = ptr.min(end);
                        match T::rfind(&self.text[lowest..hi], chr) {
                            Some(i) => {
                                count -= (ptr - (lowest + i)) as isize;
                                ptr = lowest + i;
                            }
                            None => {
                                count = min - 1;
                                ptr = lowest.wrapping_sub(1);
                            }
                        }
                    }
                    ctx!().count = count;
                    if count < min {
                        if self.repeat != NONE {
                            let lm = ctx!().lastmark;
                            self.mark_discard(lm);
                        }
                        ret!('drive, false);
                    }
                    self.ptr = ptr;
                    let top = ctx!().toplevel;
                    jump!('drive, Jump::RepeatOne1, pc + op(code, pc) as usize, top);
                }
                Step::RepeatOneAny => {
                    let min = op(code, pc + 1) as isize;
                    if ctx!().count < min {
                        if self.repeat != NONE {
                            let lm = ctx!().lastmark;
                            self.mark_discard(lm);
                        }
                        ret!('drive, false);
                    }
                    self.ptr = ptr;
                    let top = ctx!().toplevel;
                    jump!('drive, Jump::RepeatOne2, pc + op(code, pc) as usize, top);
                }
                Step::MinRepeatOne => {
                    let max = op(code, pc + 2);
                    if max == MAXREPEAT || ctx!().count <= max as isize {
                        self.ptr = ptr;
                        let top = ctx!().toplevel;
                        jump!('drive, Jump::MinRepeatOne, pc + op(code, pc) as usize, top);
                    }
                    if self.repeat != NONE {
                        let lm = ctx!().lastmark;
                        self.mark_discard(lm);
                    }
                    ret!('drive, false);
                }
                Step::PossRepeatMin => {
                    if ctx!().count < op(code, pc + 1) as isize {
                        jump!('drive, Jump::PossRepeat1, pc + 3, false);
                    }
                    // `ptr` now holds the start of the last item (zero-width check);
                    // no item has started yet.
                    ptr = usize::MAX;
                    step = Step::PossRepeatMore;
                }
                Step::PossRepeatMore => {
                    let max = op(code, pc + 2);
                    let count = ctx!().count;
                    if (count < max as isize || max == MAXREPEAT) && self.ptr != ptr {
                        lastmark_save!();
                        let lm = ctx!().lastmark;
                        self.mark_push(lm);
                        ptr = self.ptr;
                        jump!('drive, Jump::PossRepeat2, pc + 3, false);
                    }
                    pc += op(code, pc) as usize + 1;
                    ptr = self.ptr;
                    step = Step::Run;
                }
            }
        }
    }
}

/// How many one-character items (of all alternatives) `may_start` looks at.
const LOOKAHEAD_BUDGET: u32 = 32;

/// The search look-ahead of the code at `pc`, built once per program (None for a
/// start other than the one it was built for).
fn lookahead_of(code: &Prog, pc: usize) -> Option<&Lookahead> {
    let la = code.lookahead.get_or_init(|| {
        let mut ways = Vec::new();
        let mut budget = LOOKAHEAD_BUDGET;
        flatten(code, pc, Vec::new(), &mut ways, &mut budget, 0);
        // Character checks first: they are cheaper and refuse more often.
        for w in &mut ways {
            w.sort_by_key(|c| matches!(c.kind, CheckKind::At(_)));
        }
        let useful = !ways.is_empty() && ways.iter().all(|w| !w.is_empty());
        Lookahead {
            pc,
            ways: useful.then_some(ways),
        }
    });
    (la.pc == pc).then_some(la)
}

/// Most ways a look-ahead keeps (past it, a BRANCH's ways stop at the BRANCH).
const MAX_WAYS: usize = 16;

/// Record in `ways` the ways through the code from `q`, each `way` so far followed by
/// the checks of the items, marks, assertions and BRANCH alternatives it meets (as
/// `State::may_start_at` walks them). A way ends at anything else, at a repeat (after
/// the check of its first item when it needs one), or when `budget` is spent;
/// leaving checks out only makes the look-ahead accept more.
fn flatten(
    code: &Prog,
    mut q: usize,
    mut way: Vec<Check>,
    ways: &mut Vec<Vec<Check>>,
    budget: &mut u32,
    depth: u32,
) {
    let mut off = 0;
    if let Some(last) = way.last() {
        off = match last.kind {
            CheckKind::Set { .. } => last.off + 1,
            CheckKind::At(_) => last.off,
        };
    }
    let set = |q: usize| -> Option<CheckKind> {
        let bits_of = |f: &dyn Fn(u32) -> bool| {
            let mut b = [0u64; 4];
            for c in 0..256u32 {
                if f(c) {
                    b[(c >> 6) as usize] |= 1 << (c & 63);
                }
            }
            b
        };
        let arg = op(code, q + 1);
        Some(match op(code, q) {
            LITERAL if arg < 256 => CheckKind::Set {
                bits: bits_of(&|x| x == arg),
                wide: false,
            },
            LITERAL => CheckKind::Set {
                bits: [0; 4],
                wide: true,
            },
            NOT_LITERAL => CheckKind::Set {
                bits: bits_of(&|x| x != arg),
                wide: true,
            },
            IN => CheckKind::Set {
                bits: bits_of(&|x| code.in_set(q + 2, x)),
                wide: true,
            },
            ANY => CheckKind::Set {
                bits: bits_of(&|x| !is_linebreak(x)),
                wide: true,
            },
            CATEGORY => CheckKind::Set {
                bits: bits_of(&|x| category(arg, x)),
                wide: true,
            },
            _ => return None,
        })
    };
    loop {
        if *budget == 0 {
            break;
        }
        *budget -= 1;
        match op(code, q) {
            MARK => q += 2,
            JUMP => q += 1 + op(code, q + 1) as usize,
            AT => {
                way.push(Check {
                    off,
                    kind: CheckKind::At(op(code, q + 1)),
                });
                q += 2;
            }
            REPEAT_ONE | MIN_REPEAT_ONE | POSSESSIVE_REPEAT_ONE => {
                if op(code, q + 2) != 0
                    && let Some(kind) = set(q + 4)
                {
                    way.push(Check { off, kind });
                }
                break;
            }
            BRANCH if depth < 4 => {
                let mut alts = Vec::new();
                let mut alt = q + 1;
                loop {
                    let skip = op(code, alt);
                    if skip == 0 {
                        break;
                    }
                    alts.push(alt + 1);
                    alt += skip as usize;
                }
                if ways.len() + alts.len() > MAX_WAYS {
                    break;
                }
                for a in alts {
                    flatten(code, a, way.clone(), ways, budget, depth + 1);
                }
                return;
            }
            _ => match set(q) {
                Some(kind) => {
                    way.push(Check { off, kind });
                    q = item_end(code, q);
                    off += 1;
                }
                None => break,
            },
        }
    }
    ways.push(way);
}

/// The code index after the one-character item at `q` (`item_matches` knows its kind).
#[inline]
fn item_end(code: &[u32], q: usize) -> usize {
    match op(code, q) {
        IN => q + 1 + op(code, q + 1) as usize,
        ANY | ANY_ALL => q + 1,
        _ => q + 2,
    }
}

/// The code word at `i`, or FAILURE past the end (malformed code fails, never panics).
#[inline(always)]
fn op(code: &[u32], i: usize) -> u32 {
    match code.get(i) {
        Some(&v) => v,
        None => FAILURE,
    }
}

/// Is `ch` in the set `set` (the operands of IN, ending with FAILURE)?
#[inline]
pub fn charset(set: &[u32], ch: u32) -> bool {
    let mut ok = true;
    let mut i = 0;
    loop {
        match op(set, i) {
            FAILURE => return !ok,
            LITERAL => {
                if ch == op(set, i + 1) {
                    return ok;
                }
                i += 2;
            }
            CATEGORY => {
                if category(op(set, i + 1), ch) {
                    return ok;
                }
                i += 2;
            }
            CHARSET => {
                // 256-bit bitmap in 8 words.
                if ch < 256 && op(set, i + 1 + (ch as usize >> 5)) & (1u32 << (ch & 31)) != 0 {
                    return ok;
                }
                i += 1 + 8;
            }
            RANGE => {
                if op(set, i + 1) <= ch && ch <= op(set, i + 2) {
                    return ok;
                }
                i += 3;
            }
            RANGE_UNI_IGNORE => {
                let (lo, hi) = (op(set, i + 1), op(set, i + 2));
                if lo <= ch && ch <= hi {
                    return ok;
                }
                let up = upper_unicode(ch);
                if lo <= up && up <= hi {
                    return ok;
                }
                i += 3;
            }
            NEGATE => {
                ok = !ok;
                i += 1;
            }
            BIGCHARSET => {
                // <count> <256 block indices as bytes, 64 words> <count blocks of 8 words>
                let count = op(set, i + 1) as usize;
                let idx = i + 2;
                if ch < 0x10000 {
                    let hi = (ch >> 8) as usize;
                    // Block indices are bytes in the words' native (little-endian)
                    // order, as `re._compiler` packs them.
                    let block = (op(set, idx + hi / 4) >> (8 * (hi % 4))) & 0xff;
                    let bits = idx + 64 + block as usize * 8;
                    let lo = ch & 255;
                    if op(set, bits + (lo as usize >> 5)) & (1u32 << (lo & 31)) != 0 {
                        return ok;
                    }
                }
                i = idx + 64 + count * 8;
            }
            _ => return false,
        }
    }
}

/// IN_LOC_IGNORE: the set holds `ch`'s lowercase or uppercase form in the locale.
fn charset_loc_ignore(code: &Prog, at: usize, ch: u32) -> bool {
    let lo = lower_locale(ch);
    if code.in_set(at, lo) {
        return true;
    }
    let up = upper_locale(ch);
    up != lo && code.in_set(at, up)
}
