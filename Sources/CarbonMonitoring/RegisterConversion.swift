/// Turns two successive reads of a cumulative register into the consumption between them.
///
/// A register only moves forward. When a read is lower than the one before, either the register
/// wrapped past its last digit (rollover: the consumption is what ran up to the wrap plus what
/// ran after it), or the meter was replaced or reset, in which case the consumption between the
/// two reads is unknown and the lower read becomes the new starting point.
public enum RegisterConversion {
    public enum Outcome: Sendable, Equatable {
        case consumption(Double)
        case rollover(Double)
        /// The register went back and no wrap explains it; nothing is counted for the interval.
        case reset
    }

    /// - Parameters:
    ///   - maxConsumption: the most the connection could deliver between the two reads (from
    ///     ``Datastream/maxPerHour``); a wrap that would need more is judged a reset.
    public static func between(previous: Double, current: Double, multiplier: Double, rolloverAt: Double?,
                               maxConsumption: Double?) -> Outcome {
        if current >= previous { return .consumption((current - previous) * multiplier) }
        if let rolloverAt, previous < rolloverAt {
            let wrapped = (rolloverAt - previous + current) * multiplier
            // A wrap is only plausible when the old read was near the top of the register.
            let limit = maxConsumption ?? rolloverAt * multiplier / 2
            if wrapped <= limit { return .rollover(wrapped) }
        }
        return .reset
    }
}
