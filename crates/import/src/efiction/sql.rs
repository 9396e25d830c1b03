//! A small reader for MySQL dump text: `CREATE TABLE` column lists and `INSERT` rows, with
//! MySQL string escapes, comments and multi-row inserts. No server needed, never panics.
//! A dump of any size is read one statement at a time by [`Statements`].

use std::collections::HashMap;
use std::io::Read;

/// One SQL value: `NULL`, or any other literal as text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Value {
    Null,
    Text(String),
    /// A long text moved out of memory while a dump is read (see `efiction::spill`): `len`
    /// bytes of UTF-8 at `offset` of the dump's spill file.
    Spilled {
        offset: u64,
        len: u64,
    },
}

impl Value {
    /// The text, `None` for NULL (and for a spilled text, which must be read back first).
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::Null | Value::Spilled { .. } => None,
            Value::Text(t) => Some(t),
        }
    }
}

/// Where the lexer is inside a statement.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Lex {
    Normal,
    Quote(u8),
    LineComment,
    BlockComment,
}

/// How much is read from the dump at a time.
const READ_BYTES: usize = 64 << 10;

/// Splits a dump into its statements as it reads it: each statement (up to and with its `;`
/// outside quotes and comments, by the same rules as [`parse_dump`]) is handed out whole, and
/// nothing of the dump is held but the statement being read and one read of at most
/// 64 KiB after it. So a dump of any size is read in memory bounded by its largest statement.
pub struct Statements<R> {
    reader: R,
    /// The statement being read, and what was read after it.
    buf: Vec<u8>,
    /// How far `buf` has been lexed (all of it in the current statement).
    scanned: usize,
    lex: Lex,
    eof: bool,
    largest: usize,
}

impl<R: Read> Statements<R> {
    pub fn new(reader: R) -> Self {
        Statements {
            reader,
            buf: Vec::new(),
            scanned: 0,
            lex: Lex::Normal,
            eof: false,
            largest: 0,
        }
    }

    /// The longest statement handed out so far, in bytes.
    pub fn largest(&self) -> usize {
        self.largest
    }

    /// The bytes the reader holds now (its buffer's capacity).
    pub fn held(&self) -> usize {
        self.buf.capacity()
    }

    /// The next statement's bytes, `None` at the end. Text after the last `;` is a last
    /// statement of its own (a dump cut short), unless it is only whitespace.
    pub fn next_statement(&mut self) -> std::io::Result<Option<Vec<u8>>> {
        loop {
            if let Some(end) = self.scan() {
                let rest = self.buf[end..].to_vec();
                let mut stmt = std::mem::replace(&mut self.buf, rest);
                stmt.truncate(end);
                return Ok(Some(self.hand_out(stmt)));
            }
            if self.eof {
                if self.buf.iter().all(u8::is_ascii_whitespace) {
                    self.buf = Vec::new();
                    return Ok(None);
                }
                let stmt = std::mem::take(&mut self.buf);
                return Ok(Some(self.hand_out(stmt)));
            }
            let old = self.buf.len();
            self.buf.resize(old + READ_BYTES, 0);
            let n = loop {
                match self.reader.read(&mut self.buf[old..]) {
                    Ok(n) => break n,
                    Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                    Err(e) => {
                        self.buf.truncate(old);
                        return Err(e);
                    }
                }
            };
            self.buf.truncate(old + n);
            self.eof = n == 0;
        }
    }

    fn hand_out(&mut self, stmt: Vec<u8>) -> Vec<u8> {
        self.scanned = 0;
        self.lex = Lex::Normal;
        self.largest = self.largest.max(stmt.len());
        stmt
    }

    /// Lexes `buf` on from `scanned`: the end of the statement (just after its `;`) when it
    /// is in `buf`. Stops early where a byte after the one at hand decides (`--`, `/*`, an
    /// escape, a doubled quote) and is not read yet.
    fn scan(&mut self) -> Option<usize> {
        let b = &self.buf;
        let eof = self.eof;
        let at = |j: usize| b.get(j).copied();
        // Not enough read yet to decide on the byte at `i`.
        let short = |i: usize, ahead: usize| i + ahead >= b.len() && !eof;
        let mut i = self.scanned;
        while i < b.len() {
            let c = b[i];
            match self.lex {
                Lex::Normal => match c {
                    b';' => {
                        self.scanned = i + 1;
                        return Some(i + 1);
                    }
                    b'\'' | b'"' | b'`' => {
                        self.lex = Lex::Quote(c);
                        i += 1;
                    }
                    b'#' => {
                        self.lex = Lex::LineComment;
                        i += 1;
                    }
                    b'-' | b'/' => {
                        if short(i, 2) {
                            break;
                        }
                        if c == b'-'
                            && at(i + 1) == Some(b'-')
                            && at(i + 2).is_none_or(|x| x.is_ascii_whitespace())
                        {
                            self.lex = Lex::LineComment;
                            i += 2;
                        } else if c == b'/' && at(i + 1) == Some(b'*') {
                            self.lex = Lex::BlockComment;
                            i += 2;
                        } else {
                            i += 1;
                        }
                    }
                    _ => i += 1,
                },
                Lex::Quote(q) => {
                    if c == b'\\' {
                        if short(i, 1) {
                            break;
                        }
                        i += 2;
                    } else if c == q {
                        if short(i, 1) {
                            break;
                        }
                        if at(i + 1) == Some(q) {
                            i += 2;
                        } else {
                            self.lex = Lex::Normal;
                            i += 1;
                        }
                    } else {
                        i += 1;
                    }
                }
                Lex::LineComment => {
                    if c == b'\n' {
                        self.lex = Lex::Normal;
                    }
                    i += 1;
                }
                Lex::BlockComment => {
                    if c == b'*' {
                        if short(i, 1) {
                            break;
                        }
                        if at(i + 1) == Some(b'/') {
                            self.lex = Lex::Normal;
                            i += 2;
                            continue;
                        }
                    }
                    i += 1;
                }
            }
        }
        self.scanned = i.min(b.len());
        None
    }
}

/// One inserted row, with the column list its `INSERT` named, if any.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Row {
    pub columns: Option<Vec<String>>,
    pub values: Vec<Value>,
}

/// A table as the dump shows it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Table {
    /// The full table name as written (`mysite_fanfiction_stories`).
    pub name: String,
    /// From `CREATE TABLE`, when the dump has one.
    pub columns: Option<Vec<String>>,
    pub rows: Vec<Row>,
}

/// All tables of a dump, by short name (`stories` for `mysite_fanfiction_stories`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Dump {
    pub tables: HashMap<String, Table>,
    /// The charset named by `SET NAMES`, if any.
    pub charset: Option<String>,
    /// Statements that could not be read (truncated dump, odd syntax).
    pub problems: Vec<String>,
}

/// The short name of a table: what follows the last `fanfiction_`, lowercased.
pub fn short_name(name: &str) -> String {
    let lower = name.to_lowercase();
    match lower.rfind("fanfiction_") {
        Some(at) => lower[at + "fanfiction_".len()..].to_owned(),
        None => lower,
    }
}

struct Scanner<'a> {
    s: &'a [u8],
    i: usize,
}

impl Scanner<'_> {
    fn peek(&self) -> Option<u8> {
        self.s.get(self.i).copied()
    }

    fn peek_at(&self, n: usize) -> Option<u8> {
        self.s.get(self.i + n).copied()
    }

    fn eof(&self) -> bool {
        self.i >= self.s.len()
    }

    fn skip_line(&mut self) {
        while let Some(c) = self.peek() {
            self.i += 1;
            if c == b'\n' {
                break;
            }
        }
    }

    fn skip_ws(&mut self) {
        loop {
            match self.peek() {
                Some(c) if c.is_ascii_whitespace() => self.i += 1,
                Some(b'#') => self.skip_line(),
                Some(b'-')
                    if self.peek_at(1) == Some(b'-')
                        && self.peek_at(2).is_none_or(|c| c.is_ascii_whitespace()) =>
                {
                    self.skip_line();
                }
                Some(b'/') if self.peek_at(1) == Some(b'*') => {
                    self.i += 2;
                    while !self.eof()
                        && (self.peek() != Some(b'*') || self.peek_at(1) != Some(b'/'))
                    {
                        self.i += 1;
                    }
                    self.i = (self.i + 2).min(self.s.len());
                }
                _ => return,
            }
        }
    }

    fn word(&mut self) -> String {
        let start = self.i;
        while self
            .peek()
            .is_some_and(|c| c.is_ascii_alphanumeric() || c == b'_')
        {
            self.i += 1;
        }
        String::from_utf8_lossy(&self.s[start..self.i]).to_uppercase()
    }

    fn eat(&mut self, c: u8) -> bool {
        self.skip_ws();
        if self.peek() == Some(c) {
            self.i += 1;
            true
        } else {
            false
        }
    }

    fn ident(&mut self) -> String {
        self.skip_ws();
        let name = match self.peek() {
            Some(q @ (b'`' | b'"')) => {
                self.i += 1;
                let mut out = Vec::new();
                while let Some(c) = self.peek() {
                    self.i += 1;
                    if c == q {
                        if self.peek() == Some(q) {
                            self.i += 1;
                            out.push(q);
                            continue;
                        }
                        break;
                    }
                    out.push(c);
                }
                String::from_utf8_lossy(&out).into_owned()
            }
            _ => {
                let start = self.i;
                while self.peek().is_some_and(|c| {
                    c.is_ascii_alphanumeric() || matches!(c, b'_' | b'$') || c >= 0x80
                }) {
                    self.i += 1;
                }
                String::from_utf8_lossy(&self.s[start..self.i]).into_owned()
            }
        };
        // `db`.`table`: keep the last part.
        if self.peek() == Some(b'.') {
            self.i += 1;
            return self.ident();
        }
        name
    }

    /// A quoted string with MySQL escapes; the opening quote is at `self.i`.
    fn string(&mut self) -> String {
        let Some(q) = self.peek() else {
            return String::new();
        };
        self.i += 1;
        let mut out = Vec::new();
        while let Some(c) = self.peek() {
            self.i += 1;
            if c == b'\\' {
                let Some(e) = self.peek() else { break };
                self.i += 1;
                match e {
                    b'0' => out.push(0),
                    b'b' => out.push(8),
                    b'n' => out.push(b'\n'),
                    b'r' => out.push(b'\r'),
                    b't' => out.push(b'\t'),
                    b'Z' => out.push(0x1a),
                    b'%' | b'_' => out.extend_from_slice(&[b'\\', e]),
                    other => out.push(other),
                }
            } else if c == q {
                if self.peek() == Some(q) {
                    self.i += 1;
                    out.push(q);
                } else {
                    break;
                }
            } else {
                out.push(c);
            }
        }
        String::from_utf8_lossy(&out).into_owned()
    }

    /// Skips to just after the next `;` outside quotes and comments.
    fn skip_statement(&mut self) {
        while let Some(c) = self.peek() {
            match c {
                b';' => {
                    self.i += 1;
                    return;
                }
                b'\'' | b'"' | b'`' => {
                    self.string();
                }
                b'#' | b'-' | b'/' => {
                    let before = self.i;
                    self.skip_ws();
                    if self.i == before {
                        self.i += 1;
                    }
                }
                _ => self.i += 1,
            }
        }
    }

    /// A value inside an `INSERT` tuple.
    fn value(&mut self) -> Value {
        self.skip_ws();
        match self.peek() {
            Some(b'\'' | b'"') => Value::Text(self.string()),
            _ => {
                let start = self.i;
                let mut depth = 0usize;
                while let Some(c) = self.peek() {
                    match c {
                        b'(' => depth += 1,
                        b')' if depth == 0 => break,
                        b')' => depth -= 1,
                        b',' if depth == 0 => break,
                        b'\'' | b'"' => {
                            self.string();
                            continue;
                        }
                        _ => {}
                    }
                    self.i += 1;
                }
                let raw = String::from_utf8_lossy(&self.s[start..self.i])
                    .trim()
                    .to_owned();
                if raw.eq_ignore_ascii_case("null") {
                    Value::Null
                } else {
                    Value::Text(raw)
                }
            }
        }
    }

    /// The column names of a `CREATE TABLE (…)` body; the `(` is next.
    fn column_defs(&mut self) -> Vec<String> {
        let mut cols = Vec::new();
        if !self.eat(b'(') {
            return cols;
        }
        loop {
            self.skip_ws();
            if self.eof() {
                return cols;
            }
            let quoted = matches!(self.peek(), Some(b'`' | b'"'));
            let name = self.ident();
            let upper = name.to_uppercase();
            let is_key = !quoted
                && matches!(
                    upper.as_str(),
                    "PRIMARY"
                        | "KEY"
                        | "UNIQUE"
                        | "INDEX"
                        | "CONSTRAINT"
                        | "FULLTEXT"
                        | "FOREIGN"
                        | "CHECK"
                        | "SPATIAL"
                );
            if !name.is_empty() && !is_key {
                cols.push(name);
            }
            // Skip the rest of the definition.
            let mut depth = 0usize;
            loop {
                match self.peek() {
                    None => return cols,
                    Some(b'(') => depth += 1,
                    Some(b')') if depth == 0 => {
                        self.i += 1;
                        return cols;
                    }
                    Some(b')') => depth -= 1,
                    Some(b',') if depth == 0 => {
                        self.i += 1;
                        break;
                    }
                    Some(b'\'' | b'"' | b'`') => {
                        self.string();
                        continue;
                    }
                    _ => {}
                }
                self.i += 1;
            }
        }
    }
}

/// Reads every `CREATE TABLE` and `INSERT` of a dump; anything else is skipped.
pub fn parse_dump(text: &str) -> Dump {
    let mut dump = Dump::default();
    parse_more(&mut dump, text);
    dump
}

/// Reads the statements of `text` (a whole dump, or the next statements of one) into `dump`.
pub fn parse_more(dump: &mut Dump, text: &str) {
    let mut sc = Scanner {
        s: text.as_bytes(),
        i: 0,
    };
    loop {
        sc.skip_ws();
        if sc.eof() {
            break;
        }
        let start = sc.i;
        let word = sc.word();
        match word.as_str() {
            "CREATE" => {
                sc.skip_ws();
                let mut w = sc.word();
                if w == "TEMPORARY" {
                    sc.skip_ws();
                    w = sc.word();
                }
                if w == "TABLE" {
                    sc.skip_ws();
                    let save = sc.i;
                    if sc.word() == "IF" {
                        sc.skip_ws();
                        sc.word();
                        sc.skip_ws();
                        sc.word();
                    } else {
                        sc.i = save;
                    }
                    let name = sc.ident();
                    let cols = sc.column_defs();
                    let t = dump.tables.entry(short_name(&name)).or_default();
                    t.name = name;
                    t.columns = Some(cols);
                }
                sc.skip_statement();
            }
            "INSERT" | "REPLACE" => {
                loop {
                    sc.skip_ws();
                    let save = sc.i;
                    let w = sc.word();
                    if !matches!(
                        w.as_str(),
                        "LOW_PRIORITY" | "DELAYED" | "HIGH_PRIORITY" | "IGNORE" | "INTO"
                    ) {
                        sc.i = save;
                        break;
                    }
                }
                let name = sc.ident();
                let columns = if sc.eat(b'(') {
                    let mut cols = Vec::new();
                    loop {
                        let c = sc.ident();
                        if !c.is_empty() {
                            cols.push(c);
                        }
                        if sc.eat(b',') {
                            continue;
                        }
                        sc.eat(b')');
                        break;
                    }
                    Some(cols)
                } else {
                    None
                };
                sc.skip_ws();
                let kw = sc.word();
                if kw != "VALUES" && kw != "VALUE" {
                    dump.problems
                        .push(format!("INSERT into `{name}` without VALUES skipped"));
                    sc.skip_statement();
                    continue;
                }
                let t = dump.tables.entry(short_name(&name)).or_default();
                if t.name.is_empty() {
                    t.name.clone_from(&name);
                }
                while sc.eat(b'(') {
                    let mut values = Vec::new();
                    loop {
                        values.push(sc.value());
                        if sc.eat(b',') {
                            continue;
                        }
                        break;
                    }
                    if !sc.eat(b')') {
                        dump.problems
                            .push(format!("a row of `{name}` is cut short"));
                        t.rows.push(Row {
                            columns: columns.clone(),
                            values,
                        });
                        break;
                    }
                    t.rows.push(Row {
                        columns: columns.clone(),
                        values,
                    });
                    if !sc.eat(b',') {
                        break;
                    }
                }
                sc.skip_statement();
            }
            "SET" => {
                let from = sc.i;
                sc.skip_statement();
                let stmt = String::from_utf8_lossy(&sc.s[from..sc.i]).to_lowercase();
                if let Some(rest) = stmt.trim().strip_prefix("names") {
                    let cs = rest
                        .trim()
                        .trim_end_matches(';')
                        .trim()
                        .trim_matches(['\'', '"']);
                    let cs = cs.split_whitespace().next().unwrap_or_default();
                    if !cs.is_empty() {
                        dump.charset = Some(cs.to_owned());
                    }
                }
            }
            _ => sc.skip_statement(),
        }
        if sc.i == start {
            sc.i += 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_create_and_multirow_insert() {
        let d = parse_dump(
            "-- c\n/*!40101 SET NAMES latin1 */;\nCREATE TABLE `x_fanfiction_t` (\n `a` int(11) NOT NULL default '0',\n `b` text,\n PRIMARY KEY (`a`)\n) ENGINE=MyISAM;\nINSERT INTO `x_fanfiction_t` VALUES (1,'it\\'s; ok'),(2,NULL);\n",
        );
        let t = &d.tables["t"];
        assert_eq!(
            t.columns.as_deref(),
            Some(&["a".to_owned(), "b".to_owned()][..])
        );
        assert_eq!(t.rows.len(), 2);
        assert_eq!(t.rows[0].values[1], Value::Text("it's; ok".into()));
        assert_eq!(t.rows[1].values[1], Value::Null);
    }

    #[test]
    fn reads_double_quoted_backup_rows_with_column_lists() {
        let d = parse_dump(
            "INSERT INTO fanfiction_stories (sid, title) VALUES (\"7\",\"The \\\"Ledger\\\"\");\r\n",
        );
        let t = &d.tables["stories"];
        assert_eq!(t.rows[0].columns.as_deref().map(<[String]>::len), Some(2));
        assert_eq!(t.rows[0].values[1], Value::Text("The \"Ledger\"".into()));
    }

    /// A dump written as it is read: `n` multi-row inserts of about `size` bytes each, with
    /// quotes, escapes, `;` inside strings and comments. Counts the bytes handed out.
    struct Generated {
        n: usize,
        size: usize,
        made: usize,
        pending: Vec<u8>,
        produced: std::rc::Rc<std::cell::Cell<usize>>,
    }

    impl Read for Generated {
        fn read(&mut self, out: &mut [u8]) -> std::io::Result<usize> {
            if self.pending.is_empty() && self.made < self.n {
                let i = self.made;
                self.made += 1;
                let mut stmt = format!(
                    "-- part {i}; not a statement\n/* a; comment */ INSERT INTO `x_fanfiction_chapters` VALUES "
                );
                let mut row = 0;
                while stmt.len() < self.size {
                    if row > 0 {
                        stmt.push(',');
                    }
                    stmt.push_str(&format!(
                        "({i},'It\\'s {row}; a \"line\"\\n and a \\\\ and '' too;','x')"
                    ));
                    row += 1;
                }
                stmt.push_str(";\n");
                self.pending = stmt.into_bytes();
            }
            let n = out.len().min(self.pending.len());
            out[..n].copy_from_slice(&self.pending[..n]);
            self.pending.drain(..n);
            self.produced.set(self.produced.get() + n);
            Ok(n)
        }
    }

    #[test]
    fn the_reader_holds_one_statement_at_a_time() {
        let produced = std::rc::Rc::new(std::cell::Cell::new(0));
        let (n, size) = (400, 50_000);
        let mut st = Statements::new(Generated {
            n,
            size,
            made: 0,
            pending: Vec::new(),
            produced: produced.clone(),
        });
        let (mut handed, mut count, mut rows) = (0, 0, 0);
        while let Some(stmt) = st.next_statement().unwrap() {
            handed += stmt.len();
            count += 1;
            // Never more read than the statements handed out and one read after them.
            assert!(
                produced.get() <= handed + READ_BYTES + 2,
                "read ahead by {}",
                produced.get() - handed
            );
            assert!(
                st.held() <= 2 * (st.largest() + READ_BYTES),
                "holds {}",
                st.held()
            );
            let d = parse_dump(std::str::from_utf8(&stmt).unwrap());
            if let Some(t) = d.tables.get("chapters") {
                rows += t.rows.len();
                assert_eq!(
                    t.rows[0].values[1]
                        .as_str()
                        .map(|s| s.starts_with("It's 0; a \"line\"\n")),
                    Some(true)
                );
            }
        }
        assert_eq!(count, n);
        // Every byte handed out but the newline after the last `;`.
        assert_eq!(handed + 1, produced.get());
        // The whole stream is many times what was ever held.
        assert!(handed > 100 * (st.largest() + READ_BYTES) / 6, "{handed}");
        let whole = {
            let mut g = Generated {
                n,
                size,
                made: 0,
                pending: Vec::new(),
                produced: Default::default(),
            };
            let mut s = String::new();
            g.read_to_string(&mut s).unwrap();
            parse_dump(&s)
        };
        assert_eq!(whole.tables["chapters"].rows.len(), rows);
    }

    #[test]
    fn statements_split_as_the_parser_reads_them() {
        let text = "-- c\n/*!40101 SET NAMES latin1 */;\nCREATE TABLE `x_fanfiction_t` (`a` int, `b` text);\n\
                    INSERT INTO `x_fanfiction_t` VALUES (1,'it\\'s; ok'),(2,\"a;\"\"b\");\n# x;\n\
                    INSERT INTO x_fanfiction_t VALUES (3,'cut";
        let mut st = Statements::new(text.as_bytes());
        let mut dump = Dump::default();
        let mut n = 0;
        while let Some(stmt) = st.next_statement().unwrap() {
            parse_more(&mut dump, std::str::from_utf8(&stmt).unwrap());
            n += 1;
        }
        assert_eq!(n, 4);
        assert_eq!(dump, parse_dump(text));
        assert_eq!(dump.tables["t"].rows.len(), 3);
    }

    #[test]
    fn truncated_dumps_do_not_panic() {
        let d = parse_dump("INSERT INTO fanfiction_stories VALUES (1,'abc");
        assert_eq!(d.tables["stories"].rows.len(), 1);
        let _ = parse_dump("CREATE TABLE `a` (`x");
        let _ = parse_dump("/* never closed");
    }
}
