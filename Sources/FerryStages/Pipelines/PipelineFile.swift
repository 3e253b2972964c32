import FerryCore
import Foundation
import Yams

/// Loads pipeline files (YAML) into ``PipelineDefinition``s, keeping each key's line number so
/// errors point at the line to fix.
public enum PipelineFile {
    /// What a pipeline file describes.
    public enum Content: Sendable {
        /// Stages from a source to a sink.
        case pipeline(PipelineDefinition)
        /// A whole-dataset duplication.
        case duplication(DuplicationDefinition)

        /// The pipeline's name.
        public var name: String {
            switch self {
            case .pipeline(let definition): return definition.name
            case .duplication(let definition): return definition.name
            }
        }
    }

    /// Loads a file of either kind: a `duplicate` block, or a source and a sink.
    public static func loadContent(_ path: String, catalog: ResourceCatalog) throws -> Content {
        let (document, lines) = try document(path)
        if document["duplicate"] != nil {
            return .duplication(try DuplicationDefinition(document: document, file: path, lines: lines, catalog: catalog))
        }
        return .pipeline(try PipelineDefinition(document: document, file: path, lines: lines))
    }

    static func document(_ path: String) throws -> (JSONValue, [String: Int]) {
        guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8) else {
            throw StageConfigurationError(location: path, message: "cannot read the file")
        }
        return try document(text, file: path)
    }

    static func document(_ text: String, file: String) throws -> (JSONValue, [String: Int]) {
        let node: Node
        do {
            guard let parsed = try Yams.compose(yaml: text) else {
                throw StageConfigurationError(location: file, message: "the file is empty")
            }
            node = parsed
        } catch let error as YamlError {
            throw StageConfigurationError(location: file, message: "invalid YAML: \(error)")
        }
        var lines: [String: Int] = [:]
        return (json(from: node, path: "", lines: &lines), lines)
    }

    /// Loads one file of the source-to-sink kind.
    public static func load(_ path: String) throws -> PipelineDefinition {
        let (document, lines) = try document(path)
        return try PipelineDefinition(document: document, file: path, lines: lines)
    }

    /// Parses YAML text.
    public static func parse(_ text: String, file: String) throws -> PipelineDefinition {
        let (document, lines) = try document(text, file: file)
        return try PipelineDefinition(document: document, file: file, lines: lines)
    }

    static func json(from node: Node, path: String, lines: inout [String: Int]) -> JSONValue {
        switch node {
        case .scalar(let scalar):
            if scalar.style == .plain {
                if let b = Bool.construct(from: scalar) { return .bool(b) }
                if let i = Int.construct(from: scalar) { return .int(Int64(i)) }
                if let d = Double.construct(from: scalar), scalar.string.contains(".") { return .double(d) }
                if scalar.string == "~" || scalar.string == "null" || scalar.string.isEmpty { return .null }
            }
            return .string(scalar.string)
        case .sequence(let sequence):
            return .array(sequence.enumerated().map { index, element in
                let childPath = "\(path)[\(index)]"
                lines[childPath] = element.mark.map { $0.line }
                return json(from: element, path: childPath, lines: &lines)
            })
        case .mapping(let mapping):
            return .object(mapping.map { key, value in
                let name = key.string ?? ""
                let childPath = path.isEmpty ? name : "\(path).\(name)"
                lines[childPath] = key.mark.map { $0.line }
                return JSONMember(name, json(from: value, path: childPath, lines: &lines))
            })
        case .alias:
            return .null
        }
    }
}
