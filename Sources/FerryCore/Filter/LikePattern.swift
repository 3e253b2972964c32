/// SQL `LIKE` matching as SQLite performs it with `ESCAPE '\'`: `%` matches any run of
/// characters, `_` one character, `\` makes the next character literal, and ASCII letters match
/// regardless of case (other letters only exactly).
public enum LikePattern {
    /// Whether `text` matches `pattern`.
    public static func matches(_ text: String, pattern: String) -> Bool {
        let t = Array(text.unicodeScalars)
        let p = Array(pattern.unicodeScalars)
        // Iterative matcher with backtracking to the last '%'.
        var ti = 0, pi = 0
        var starP = -1, starT = 0
        while ti < t.count {
            if pi < p.count {
                let c = p[pi]
                if c == "%" {
                    starP = pi
                    starT = ti
                    pi += 1
                    continue
                }
                if c == "_" {
                    ti += 1
                    pi += 1
                    continue
                }
                var literal = c
                var width = 1
                if c == "\\", pi + 1 < p.count {
                    literal = p[pi + 1]
                    width = 2
                }
                if fold(literal) == fold(t[ti]) {
                    ti += 1
                    pi += width
                    continue
                }
            }
            guard starP >= 0 else { return false }
            pi = starP + 1
            starT += 1
            ti = starT
        }
        while pi < p.count, p[pi] == "%" { pi += 1 }
        return pi == p.count
    }

    /// Escapes `%`, `_` and `\` so that `text` matches only itself inside a pattern.
    public static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.count)
        for c in text.unicodeScalars {
            if c == "%" || c == "_" || c == "\\" { out.unicodeScalars.append("\\") }
            out.unicodeScalars.append(c)
        }
        return out
    }

    private static func fold(_ c: Unicode.Scalar) -> UInt32 {
        let v = c.value
        return (65...90).contains(v) ? v + 32 : v
    }
}
