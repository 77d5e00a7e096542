"""sheaf.Frame methods for windows within a key ordered by time (sheaf_window.h). Mixed into
sheaf.Frame; every method returns a new Frame and leaves this one unchanged."""


class WindowMethods:
    pass
