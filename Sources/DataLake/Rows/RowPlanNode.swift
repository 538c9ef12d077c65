/// One node of a column's compiled write plan: its ksqlDB type, the Parquet levels it writes and the
/// leaf columns under it. Built once per schema so that rows are scanned without looking types up.
import Parquet

final class RowPlanNode {
    enum Kind {
        case scalar(KsqlType)
        case array(element: RowPlanNode)
        case map(key: RowPlanNode, value: RowPlanNode)
        case structure(fields: [RowPlanNode], names: [[UInt8]])
    }

    /// A scalar's decoding, as a trivial value so the hot path neither switches on `kind` nor retains.
    enum Scalar {
        case none, boolean, integer, bigint, double, decimal32, decimal64, decimalBytes, string, bytes, date, time, timestamp
    }

    let kind: Kind
    let scalar: Scalar
    let precision: Int
    let scale: Int
    /// The leaf's column writer, for scalars; set once the Parquet writer exists.
    unowned(unsafe) var column: ColumnWriter? = nil
    /// Definition level of this node when present and non-null.
    let def: Int
    /// Repetition level of the elements/entries of an ARRAY or MAP node.
    let elementRep: Int
    /// Leaf columns under this node, in file order.
    let leaves: Range<Int>
    /// Reused per STRUCT value to find missing fields without allocating.
    var seen: [Bool]

    init(kind: Kind, def: Int, elementRep: Int, leaves: Range<Int>) {
        self.kind = kind
        self.def = def
        self.elementRep = elementRep
        self.leaves = leaves
        var p = 0, sc = 0
        switch kind {
        case let .scalar(t):
            switch t {
            case .boolean: scalar = .boolean
            case .integer: scalar = .integer
            case .bigint: scalar = .bigint
            case .double: scalar = .double
            case let .decimal(pr, s):
                p = pr
                sc = s
                scalar = pr <= 9 ? .decimal32 : (pr <= 18 ? .decimal64 : .decimalBytes)
            case .string: scalar = .string
            case .bytes: scalar = .bytes
            case .date: scalar = .date
            case .time: scalar = .time
            case .timestamp: scalar = .timestamp
            case .array, .map, .struct: scalar = .none
            }
        default:
            scalar = .none
        }
        precision = p
        scale = sc
        if case let .structure(fields, _) = kind { seen = Array(repeating: false, count: fields.count) } else { seen = [] }
    }

    /// Compiles `type` whose parent sits at definition level `parentDef` and repetition level `parentRep`;
    /// `required` is for MAP keys. `nextLeaf` advances over the leaves created.
    /// Points every scalar node at its leaf's column writer.
    func bind(_ columns: [ColumnWriter]) {
        switch kind {
        case .scalar: column = columns[leaves.lowerBound]
        case let .array(e): e.bind(columns)
        case let .map(k, v):
            k.bind(columns)
            v.bind(columns)
        case let .structure(fields, _): for f in fields { f.bind(columns) }
        }
    }

    static func build(_ type: KsqlType, parentDef: Int, parentRep: Int, required: Bool = false,
                      nextLeaf: inout Int) -> RowPlanNode {
        let def = parentDef + (required ? 0 : 1)
        let first = nextLeaf
        switch type {
        case let .array(e):
            let element = build(e, parentDef: def + 1, parentRep: parentRep + 1, nextLeaf: &nextLeaf)
            return RowPlanNode(kind: .array(element: element), def: def, elementRep: parentRep + 1, leaves: first..<nextLeaf)
        case let .map(k, v):
            let key = build(k, parentDef: def + 1, parentRep: parentRep + 1, required: true, nextLeaf: &nextLeaf)
            let value = build(v, parentDef: def + 1, parentRep: parentRep + 1, nextLeaf: &nextLeaf)
            return RowPlanNode(kind: .map(key: key, value: value), def: def, elementRep: parentRep + 1, leaves: first..<nextLeaf)
        case let .struct(fields):
            let children = fields.map { build($0.type, parentDef: def, parentRep: parentRep, nextLeaf: &nextLeaf) }
            return RowPlanNode(kind: .structure(fields: children, names: fields.map { Array($0.name.utf8) }),
                               def: def, elementRep: parentRep, leaves: first..<nextLeaf)
        default:
            nextLeaf += 1
            return RowPlanNode(kind: .scalar(type), def: def, elementRep: parentRep, leaves: first..<nextLeaf)
        }
    }
}
