/// "Did you mean …?" for a mistyped key: the closest known name by edit distance.
public enum Suggestion {
    /// The candidate nearest to `input` (case-insensitive optimal string alignment distance),
    /// if it is close enough to be a plausible typo.
    public static func closest<S: Sequence>(to input: String, among candidates: S) -> String? where S.Element == String {
        let needle = Array(input.lowercased())
        guard !needle.isEmpty else { return nil }
        var best: (name: String, distance: Int)?
        for candidate in candidates {
            let distance = editDistance(needle, Array(candidate.lowercased()))
            if best == nil || distance < best!.distance || (distance == best!.distance && candidate < best!.name) {
                best = (candidate, distance)
            }
        }
        guard let best else { return nil }
        let limit = max(2, min(needle.count, best.name.count) / 3)
        return best.distance <= limit ? best.name : nil
    }

    /// "did you mean `x`?" or nil.
    public static func didYouMean<S: Sequence>(_ input: String, among candidates: S) -> String? where S.Element == String {
        closest(to: input, among: candidates).map { "did you mean '\($0)'?" }
    }

    /// Optimal string alignment distance: insertions, deletions, substitutions and
    /// transpositions of neighbours each cost one.
    static func editDistance(_ a: [Character], _ b: [Character]) -> Int {
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var previous2 = [Int](repeating: 0, count: b.count + 1)
        var previous = Array(0...b.count)
        var current = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            current[0] = i
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                var value = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] {
                    value = min(value, previous2[j - 2] + 1)
                }
                current[j] = value
            }
            (previous2, previous, current) = (previous, current, previous2)
        }
        return previous[b.count]
    }
}
