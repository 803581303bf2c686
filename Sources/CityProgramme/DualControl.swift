import CarbonAccounting
import CarbonKit

/// Energy and carbon "dual control" (能耗双控, moving to 碳排放双控): total energy use, energy
/// per unit of GDP and CO2 per unit of GDP, both at constant prices, and their reductions
/// against a base year — the binding indicators of China's Five-Year Plans, defined once.
public struct DualControl: Sendable, Equatable {
    public var year: Int
    /// The statistics used (total energy in tce, GDP at constant prices, the electricity method).
    public var statistics: JurisdictionStatistic
    /// Energy-related CO2, t (``energyCO2Tonnes(_:year:jurisdiction:)``).
    public var energyCO2Tonnes: Double?

    public init(year: Int, statistics: JurisdictionStatistic, energyCO2Tonnes: Double?) {
        (self.year, self.statistics, self.energyCO2Tonnes) = (year, statistics, energyCO2Tonnes)
    }

    /// The money unit intensities are per: 10^4 of the currency at the base year's prices.
    public var intensityUnit: String? {
        guard statistics.gdpConstant != nil, let money = statistics.gdpUnit.flatMap(MoneyUnit.init), let base = statistics.gdpConstantBaseYear else { return nil }
        return "\(money.intensityDenominator) (\(base) prices)"
    }

    /// GDP at constant prices in 10^4 of the currency.
    var constantGDP: Double? {
        guard let gdp = statistics.gdpConstant, gdp > 0, let money = statistics.gdpUnit.flatMap(MoneyUnit.init) else { return nil }
        return gdp * money.scale / 1e4
    }

    /// tce per 10^4 of GDP at constant prices.
    public var energyIntensity: Double? {
        guard let energy = statistics.energyTce, let gdp = constantGDP else { return nil }
        return energy / gdp
    }

    /// t CO2 (energy-related) per 10^4 of GDP at constant prices.
    public var co2Intensity: Double? {
        guard let co2 = energyCO2Tonnes, let gdp = constantGDP else { return nil }
        return co2 / gdp
    }

    /// The fall in energy intensity since `base`, as a fraction (0.135 is 13.5 % lower): both
    /// years must be at the same prices and count electricity the same way.
    public func energyIntensityReduction(since base: DualControl) -> Double? {
        guard comparable(with: base), base.statistics.energyMethod == statistics.energyMethod,
              let now = energyIntensity, let then = base.energyIntensity, then > 0 else { return nil }
        return 1 - now / then
    }

    /// The fall in CO2 intensity since `base`, as a fraction; both years at the same prices.
    public func co2IntensityReduction(since base: DualControl) -> Double? {
        guard comparable(with: base), let now = co2Intensity, let then = base.co2Intensity, then > 0 else { return nil }
        return 1 - now / then
    }

    func comparable(with base: DualControl) -> Bool {
        base.year < year && base.statistics.gdpConstantBaseYear == statistics.gdpConstantBaseYear && base.statistics.gdpUnit == statistics.gdpUnit
    }

    /// The CO2 China's intensity targets count: fossil CO2 from stationary energy and
    /// transport (GPC sectors I and II), direct and from grid electricity and heat (scopes 1
    /// and 2), BASIC rows only — no other gases, no biogenic CO2, no waste or industrial
    /// processes.
    public static func energyCO2Tonnes(_ inventory: Inventory, year: Int, jurisdiction: String? = nil) -> Double {
        inventory.cells(year: year, jurisdiction: jurisdiction)
            .filter { ($0.sector == "I" || $0.sector == "II") && ($0.scope == 1 || $0.scope == 2) && $0.level == .basic }
            .reduce(0) { $0 + ($1.gasesKg[Gas.co2.key] ?? 0) / 1000 }
    }
}
