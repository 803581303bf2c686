import Foundation

/// An input whose value is not known exactly, and the distribution it is drawn from in the
/// Monte Carlo runs. One draw per run, used in every year of that run.
///
/// Inputs: `population_growth`, `gdp_growth`, `intensity` and `intensity:<sector>` are
/// added to the annual rate (mean 0 leaves the path as it is); `fuel_factor:<fuel>` scales
/// the change of the fuel's factor from the base year, `measure:<id>` the measure's effect,
/// `sink:<id>` a sink and `offsets` the offsets (mean 1 leaves them as they are).
public struct UncertainInput: Sendable, Hashable, Codable {
    public var input: String
    public var distribution: Distribution
    public var source: String?

    public init(input: String, distribution: Distribution) {
        self.input = input
        self.distribution = distribution
    }
}

public struct Distribution: Sendable, Hashable, Codable {
    public enum Kind: String, Sendable, Hashable, Codable {
        case normal, uniform, triangular
        /// Log-normal with the given mean and standard deviation of the value itself.
        case lognormal
    }

    public var kind: Kind
    public var mean: Double?
    public var sd: Double?
    public var min: Double?
    public var max: Double?
    public var mode: Double?

    public static func normal(mean: Double, sd: Double) -> Distribution { Distribution(kind: .normal, mean: mean, sd: sd) }
    public static func uniform(_ min: Double, _ max: Double) -> Distribution { Distribution(kind: .uniform, min: min, max: max) }
    public static func triangular(_ min: Double, _ mode: Double, _ max: Double) -> Distribution {
        Distribution(kind: .triangular, min: min, max: max, mode: mode)
    }

    public init(kind: Kind, mean: Double? = nil, sd: Double? = nil, min: Double? = nil, max: Double? = nil, mode: Double? = nil) {
        self.kind = kind
        self.mean = mean
        self.sd = sd
        self.min = min
        self.max = max
        self.mode = mode
    }

    /// What is wrong with the parameters, if anything.
    public var problem: String? {
        switch kind {
        case .normal, .lognormal:
            guard let mean, let sd else { return "\(kind.rawValue) needs mean and sd" }
            if sd < 0 { return "sd must not be negative" }
            if kind == .lognormal, mean <= 0 { return "a log-normal mean must be above zero" }
        case .uniform:
            guard let min, let max else { return "uniform needs min and max" }
            if min > max { return "min is above max" }
        case .triangular:
            guard let min, let max, let mode else { return "triangular needs min, mode and max" }
            if !(min <= mode && mode <= max) { return "needs min ≤ mode ≤ max" }
        }
        return nil
    }

    /// The value the deterministic run uses: the mean of a normal or log-normal, the most
    /// likely value of a triangular, the middle of a uniform. With no spread it is the only
    /// value a draw can take, so the Monte Carlo runs then equal the deterministic run.
    public var central: Double {
        switch kind {
        case .normal, .lognormal: mean ?? 0
        case .uniform: ((min ?? 0) + (max ?? 0)) / 2
        case .triangular: mode ?? 0
        }
    }

    public func sample(_ random: inout RandomSource) -> Double {
        switch kind {
        case .normal: return mean! + sd! * random.standardNormal()
        case .lognormal:
            let m = mean!, s = sd!
            if s == 0 { return m }
            let sigma2 = log(1 + s * s / (m * m))
            return exp(log(m) - sigma2 / 2 + sqrt(sigma2) * random.standardNormal())
        case .uniform: return min! + (max! - min!) * random.unit()
        case .triangular:
            let a = min!, b = max!, c = mode!
            if b == a { return a }
            let u = random.unit(), f = (c - a) / (b - a)
            return u < f ? a + sqrt(u * (b - a) * (c - a)) : b - sqrt((1 - u) * (b - a) * (b - c))
        }
    }
}

/// xoshiro256** seeded through SplitMix64: fast, small, and the same numbers on every
/// machine. Each Monte Carlo run seeds its own generator from the scenario's seed and the
/// run's number, so results do not depend on how runs are spread over cores.
public struct RandomSource: Sendable {
    private var s0: UInt64, s1: UInt64, s2: UInt64, s3: UInt64
    private var spare: Double?

    public init(seed: UInt64, stream: UInt64 = 0) {
        var x = seed ^ (stream &* 0x9E37_79B9_7F4A_7C15)
        func next() -> UInt64 {
            x &+= 0x9E37_79B9_7F4A_7C15
            var z = x
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        s0 = next(); s1 = next(); s2 = next(); s3 = next()
    }

    public mutating func next() -> UInt64 {
        let result = ((s1 &* 5) << 7 | (s1 &* 5) >> 57) &* 9
        let t = s1 << 17
        s2 ^= s0; s3 ^= s1; s1 ^= s2; s0 ^= s3
        s2 ^= t
        s3 = s3 << 45 | s3 >> 19
        return result
    }

    /// Uniform in [0, 1).
    public mutating func unit() -> Double { Double(next() >> 11) * 0x1.0p-53 }

    /// Standard normal by the polar Box–Muller method.
    public mutating func standardNormal() -> Double {
        if let spare {
            self.spare = nil
            return spare
        }
        while true {
            let u = 2 * unit() - 1, v = 2 * unit() - 1
            let s = u * u + v * v
            if s > 0, s < 1 {
                let f = sqrt(-2 * log(s) / s)
                spare = v * f
                return u * f
            }
        }
    }
}
