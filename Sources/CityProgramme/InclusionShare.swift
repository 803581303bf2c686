/// Residents' credited carbon-inclusion reductions beside the city's inventory of the same
/// year: the one definition every page and API uses. The share is of the headline total
/// (``CityFigures``), and only when that year's inventory is published; reductions are
/// avoided emissions measured against each methodology's baseline, so the share says how
/// large they are, not that the inventory already contains them.
public struct InclusionShare: Sendable, Equatable {
    public var year: Int
    /// Credited reductions of the year, t CO2e.
    public var inclusionTonnes: Double
    /// The published inventory's headline total of the year, t CO2e; nil when none is published.
    public var inventoryTonnes: Double?
    public var level: HeadlineLevel?

    public init(year: Int, inclusionTonnes: Double, inventory: CityFigures?) {
        (self.year, self.inclusionTonnes) = (year, inclusionTonnes)
        inventoryTonnes = inventory?.tonnes
        level = inventory?.level
    }

    /// Reductions ÷ inventory total (0.0012 is 0.12 %); nil without a published inventory above zero.
    public var share: Double? {
        guard let inventoryTonnes, inventoryTonnes > 0, inclusionTonnes.isFinite else { return nil }
        return inclusionTonnes / inventoryTonnes
    }
}
