import AsyncHTTPClient
import FerryCore
import Foundation
import NIOCore
import NIOPosix

/// A failure a command reports as `Error: <message>` with exit code 1, without the usage text
/// that argument-parsing errors get.
///
/// This is the one place a command's errors become text for a person: ``plain(_:)`` turns the
/// errors of Swift, Foundation and the network stack (`HTTPClientError.invalidURL`, `Connection
/// refused (errno: 111)`, `bind(…) Address already in use`, `CancellationError()`) into a
/// sentence that names the thing and the fix, with the system's reason.
struct CommandFailure: Error, CustomStringConvertible {
    let description: String

    init(_ error: any Error) {
        description = Self.plain(error)
    }

    init(message: String) {
        description = message
    }

    /// The error in plain words.
    static func plain(_ error: any Error) -> String {
        switch error {
        case let failure as CommandFailure:
            return failure.description
        case is CancellationError:
            return "stopped before it finished (interrupted); run the same command again to finish"
        case let error as HTTPClientError:
            return plain(error)
        case let error as IOError:
            return plain(errno: error.errnoCode, in: error.description)
        case let error as NIOConnectionError:
            if let first = error.connectionErrors.first?.error { return plain(first) }
            if error.dnsAAAAError != nil || error.dnsAError != nil { return "cannot find the server's host \(error.host): check --server" }
            return "cannot reach the server: check --server and that `ferry serve` runs there"
        case let error as FormatError:
            if case .io(let path, "cannot open the file") = error { return "cannot open \(path): \(reason(opening: path))" }
            return error.description
        default:
            break
        }
        let nsError = error as NSError
        if nsError.domain == NSCocoaErrorDomain || nsError.domain == NSPOSIXErrorDomain {
            let path = (nsError.userInfo[NSFilePathErrorKey] as? String) ?? (nsError.userInfo[NSURLErrorKey] as? URL)?.path
            let reason = FileSystemReason.of(error, at: path ?? "/")
            return path.map { "cannot open \($0): \(reason)" } ?? reason
        }
        let text = String(describing: error)
        if let code = errnoCode(in: text) { return plain(errno: code, in: text) }
        return text
    }

    /// An HTTP client's error as what to check.
    static func plain(_ error: HTTPClientError) -> String {
        switch error {
        case .invalidURL, .emptyScheme, .emptyHost:
            return "the server address is not a URL Ferry can use: give --server as http://host:port"
        case .connectTimeout:
            return "the server did not answer a connection in time: check --server and that `ferry serve` runs there"
        case .readTimeout, .deadlineExceeded:
            return "the server stopped answering before the request finished: check that `ferry serve` still runs, and try again"
        case .remoteConnectionClosed:
            return "the server closed the connection before it answered: check that `ferry serve` still runs, and try again"
        case .cancelled:
            return "the request to the server was cancelled (interrupted); run the same command again"
        default:
            if String(describing: error).hasPrefix("HTTPClientError.unsupportedScheme") {
                return "the server address has no http:// or https:// scheme: give --server as http://host:port"
            }
            return "the request to the server failed: check --server and that `ferry serve` runs there"
        }
    }

    /// A socket error as what went wrong and what to do, by its errno.
    static func plain(errno code: Int32, in text: String) -> String {
        let reason = String(cString: strerror(code))
        let listening = text.contains("bind(") || text.contains("listen(")
        switch code {
        case ECONNREFUSED:
            return "cannot reach the server: connection refused (is `ferry serve` running at that address, and is --server's port right?)"
        case EADDRINUSE where listening:
            return "cannot listen on that address: it is already in use (another `ferry serve` there? choose another --port)"
        case EADDRNOTAVAIL where listening:
            return "cannot listen on --host: the address is not one of this machine's"
        case EACCES where listening:
            return "cannot listen on that port: permission denied (ports below 1024 need root; choose another --port)"
        case ETIMEDOUT, EHOSTUNREACH, ENETUNREACH:
            return "cannot reach the server: \(reason) (check --server and the network)"
        case ECONNRESET, EPIPE:
            return "the connection to the server was cut: \(reason) (check that `ferry serve` still runs, and try again)"
        default:
            return listening ? "cannot listen on that address: \(reason)" : "the connection failed: \(reason)"
        }
    }

    /// The `(errno: N)` a NIO error's text carries.
    static func errnoCode(in text: String) -> Int32? {
        guard let range = text.range(of: "(errno: ") else { return nil }
        return Int32(text[range.upperBound...].prefix { $0.isNumber })
    }

    /// Why a file cannot be opened for reading.
    static func reason(opening path: String) -> String {
        var isDirectory: ObjCBool = false
        if !FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) { return "no such file" }
        if isDirectory.boolValue { return "it is a directory" }
        if access(path, R_OK) != 0 { return "permission denied" }
        return "it cannot be read"
    }
}
