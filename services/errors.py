"""Service errors with stable codes; mini/errors.py alone turns them into HTTP.

A raise site names a code (its class's own, or a more specific one) and, where a client uses it, field-level
`details` ({"field": ["what is wrong"]}); it passes no text. Whatever shows an error takes the text from
error_texts.py by its code: the HTTP answer, the national interface's err_msg, the CLI's error line."""


class ServiceError(Exception):
    code = "service_error"

    keep_changes = False  # when True, the use case commits what it did before refusing

    def __init__(self, code=None, details=None, keep_changes=False):
        if code:
            self.code = code
        super().__init__(self.code)   # a traceback or a log names the code
        self.keep_changes = keep_changes
        self.details = details or {}


class InvalidRequest(ServiceError):
    code = "invalid_request"


class Unauthenticated(ServiceError):
    code = "unauthenticated"


class Forbidden(ServiceError):
    code = "forbidden"


class NotFound(ServiceError):
    code = "not_found"


class Conflict(ServiceError):
    code = "conflict"


class Refused(ServiceError):
    """A business rule says no (422)."""

    code = "refused"


class PreconditionFailed(ServiceError):
    code = "precondition_failed"


class PreconditionRequired(ServiceError):
    code = "precondition_required"


class TooManyRequests(ServiceError):
    code = "rate_limited"

    def __init__(self, code=None, details=None, retry_after=1):
        super().__init__(code, details=details)
        self.retry_after = retry_after  # seconds; a header, not part of the error body


class Unavailable(ServiceError):
    code = "service_unavailable"
