/// An amount in a unit. Converting within a dimension only needs the units; across
/// dimensions it needs the properties of the fuel (see ``FuelProperties``).
public struct Quantity: Sendable, Hashable, CustomStringConvertible {
    public var value: Double
    public var unit: MeasureUnit

    public init(_ value: Double, _ unit: MeasureUnit) {
        self.value = value
        self.unit = unit
    }

    public var dimension: Dimension { unit.dimension }

    /// The amount in the dimension's base unit (J, kg or m3).
    public var baseValue: Double { value * unit.baseUnitsPerUnit }

    /// The same amount in another unit of the same dimension; anything else is refused.
    public func converted(to target: MeasureUnit) throws(UnitError) -> Quantity {
        guard target.dimension == unit.dimension else {
            switch (unit.dimension, target.dimension) {
            case (.energy, _), (_, .energy): throw .needsCalorificValue(from: unit, to: target)
            default: throw .needsDensity(from: unit, to: target)
            }
        }
        return Quantity(baseValue / target.baseUnitsPerUnit, target)
    }

    public var description: String { "\(value) \(unit.symbol)" }
}

/// What a fuel's physical properties allow: mass ↔ energy through the net calorific value,
/// volume ↔ mass through the density. A conversion that needs a property the fuel lacks
/// is refused, never guessed.
public struct FuelProperties: Sendable, Hashable {
    /// Net calorific value in joules per kilogram.
    public var joulesPerKilogram: Double?
    /// Net calorific value in joules per cubic metre (gases reported by volume).
    public var joulesPerCubicMetre: Double?
    /// Density in kilograms per cubic metre.
    public var kilogramsPerCubicMetre: Double?

    public init(joulesPerKilogram: Double? = nil, joulesPerCubicMetre: Double? = nil, kilogramsPerCubicMetre: Double? = nil) {
        self.joulesPerKilogram = joulesPerKilogram
        self.joulesPerCubicMetre = joulesPerCubicMetre
        self.kilogramsPerCubicMetre = kilogramsPerCubicMetre
    }

    /// How many base units of `target`'s dimension one base unit of `source`'s dimension is.
    public func baseRatio(from source: Dimension, to target: Dimension) -> Double? {
        switch (source, target) {
        case (let a, let b) where a == b: return 1
        case (.mass, .energy):
            if let ncv = joulesPerKilogram { return ncv }
            if let ncv = joulesPerCubicMetre, let rho = kilogramsPerCubicMetre { return ncv / rho }
            return nil
        case (.volume, .energy):
            if let ncv = joulesPerCubicMetre { return ncv }
            if let ncv = joulesPerKilogram, let rho = kilogramsPerCubicMetre { return ncv * rho }
            return nil
        case (.volume, .mass): return kilogramsPerCubicMetre
        case (.energy, let b): return baseRatio(from: b, to: .energy).map { 1 / $0 }
        case (.mass, .volume): return kilogramsPerCubicMetre.map { 1 / $0 }
        default: return nil
        }
    }

    /// `quantity` expressed in `target`, using these properties where the dimensions differ.
    public func convert(_ quantity: Quantity, to target: MeasureUnit) throws(UnitError) -> Quantity {
        if quantity.unit.dimension == target.dimension { return try quantity.converted(to: target) }
        return Quantity(try factor(from: quantity.unit, to: target) * quantity.value, target)
    }

    /// The multiplier that turns an amount in `source` into an amount in `target`.
    public func factor(from source: MeasureUnit, to target: MeasureUnit) throws(UnitError) -> Double {
        guard let ratio = baseRatio(from: source.dimension, to: target.dimension) else {
            let pair = Set([source.dimension, target.dimension])
            switch pair {
            case [.volume, .energy] where joulesPerKilogram != nil, [.mass, .energy] where joulesPerCubicMetre != nil, [.volume, .mass]:
                throw .needsDensity(from: source, to: target)
            default:
                throw .needsCalorificValue(from: source, to: target)
            }
        }
        return source.baseUnitsPerUnit * ratio / target.baseUnitsPerUnit
    }
}
