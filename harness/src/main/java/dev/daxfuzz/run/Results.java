package dev.daxfuzz.run;

import dev.daxfuzz.fs.CallResult;
import dev.daxfuzz.program.Expectation;

/** Compares a statement's result with its {@code => RESULT} expectation, and prints either. */
final class Results {
    private Results() {
    }

    static boolean matches(Expectation want, CallResult got) {
        if (want instanceof Expectation.Ok) {
            return got instanceof CallResult.Ok;
        } else if (want instanceof Expectation.Failure f) {
            return got instanceof CallResult.Failed g && g.errno() == f.errno();
        } else if (want instanceof Expectation.Returns r) {
            return got instanceof CallResult.Data d && d.bytes().equals(r.data().bytes());
        } else if (want instanceof Expectation.Word w) {
            return switch (w.word()) {
                case STATIC -> got instanceof CallResult.DaxState s && s.isStatic();
                case DYNAMIC -> got instanceof CallResult.DaxState s && !s.isStatic();
                case SIGBUS -> got instanceof CallResult.Signal s && s.sig() == CallResult.Sig.SIGBUS;
            };
        }
        return false;
    }

    static String describe(Expectation e) {
        if (e instanceof Expectation.Ok) {
            return "ok";
        } else if (e instanceof Expectation.Failure f) {
            return f.errno().name();
        } else if (e instanceof Expectation.Word w) {
            return w.word().keyword();
        }
        return "hex:" + ((Expectation.Returns) e).data().bytes().toHex();
    }
}
