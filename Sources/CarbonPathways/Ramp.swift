/// How a measure comes into effect: nothing before `start`, all of it from `full` on, and in
/// between a straight line or an S-curve (slow start, fast middle, slow finish, as adoption
/// of a technology usually goes).
public struct Ramp: Sendable, Hashable, Codable {
    public enum Shape: String, Sendable, Hashable, Codable {
        case linear
        /// Smoothstep, 3x² − 2x³: the logistic shape of adoption without its infinite tails.
        case sCurve = "s_curve"
        /// Full effect at `start`.
        case step
    }

    public var start: Int
    public var full: Int
    public var shape: Shape

    public init(start: Int, full: Int, shape: Shape = .linear) {
        self.start = start
        self.full = full
        self.shape = shape
    }

    /// The share of the full effect reached in `year`, 0…1.
    public func level(in year: Int) -> Double {
        if shape == .step { return year >= start ? 1 : 0 }
        if year <= start { return full <= start && year >= start ? 1 : 0 }
        if year >= full { return 1 }
        let x = Double(year - start) / Double(full - start)
        return shape == .linear ? x : x * x * (3 - 2 * x)
    }

    private enum CodingKeys: String, CodingKey { case start, full, shape }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        start = try c.decode(Int.self, forKey: .start)
        full = try c.decodeIfPresent(Int.self, forKey: .full) ?? start
        for (key, year) in [(CodingKeys.start, start), (.full, full)] where !Scenario.years.contains(year) {
            throw DecodingError.dataCorruptedError(forKey: key, in: c, debugDescription: "\(year) is not a year between 1900 and 2200")
        }
        shape = try c.decodeIfPresent(Shape.self, forKey: .shape) ?? .linear
    }
}
