package org.prune4j.backend;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;
import org.prune4j.sparse.SparseMatrix;
import org.prune4j.tensor.Tensor;

/**
 * Sends each call to the primary backend when it declares the call's {@link Feature} (and, for
 * spmm, the format), and to the CPU backend otherwise, logging once per feature which backend
 * lacked what. When the primary keeps its tensors on a device, a routed call copies its tensor
 * arguments to the host and back, through the counted transfers, so the fallback is never
 * silent and its cost shows.
 */
final class CapabilityRouter implements InvocationHandler {
    private static final System.Logger LOG = System.getLogger(CapabilityRouter.class.getName());
    private final Backend primary;
    private final Backend fallback;
    private final Capabilities caps;
    private final Set<Feature> logged = EnumSet.noneOf(Feature.class);

    private CapabilityRouter(Backend primary, Backend fallback) {
        this.primary = primary;
        this.fallback = fallback;
        this.caps = primary.capabilities();
    }

    static Backend wrap(Backend primary, Backend fallback) {
        return (Backend) Proxy.newProxyInstance(Backend.class.getClassLoader(), new Class<?>[] {Backend.class},
                new CapabilityRouter(primary, fallback));
    }

    @Override
    public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
        switch (method.getName()) {
            case "capabilities" -> {
                return Capabilities.all();
            }
            case "equals" -> {
                return proxy == args[0];
            }
            case "hashCode" -> {
                return System.identityHashCode(proxy);
            }
            case "toString" -> {
                return "routed(" + primary.name() + ")";
            }
            case "description" -> {
                return primary.description() + "; operations it lacks run on the CPU";
            }
            default -> {
            }
        }
        Requires r = method.getAnnotation(Requires.class);
        if (r == null || runsOnPrimary(r.value(), method, args)) {
            return call(method, primary, args);
        }
        note(r.value());
        if (primary.device().isHost()) {
            return call(method, fallback, args);
        }
        return viaHost(method, args);
    }

    private boolean runsOnPrimary(Feature f, Method m, Object[] args) {
        if (!caps.supports(f)) {
            return false;
        }
        if (f == Feature.SPMM && args != null && args.length > 0 && args[0] instanceof SparseMatrix w) {
            return caps.supports(Capabilities.Format.of(w));
        }
        return true;
    }

    private synchronized void note(Feature f) {
        if (logged.add(f)) {
            LOG.log(System.Logger.Level.INFO, "backend " + primary.name() + " does not run "
                    + f.name().toLowerCase(Locale.ROOT) + "; those operations run on the CPU"
                    + (primary.device().isHost() ? "" : ", copying their tensors to the host and back"));
        }
    }

    /** Device tensors go to the host for the CPU call, and every one comes back (outputs may be any of them). */
    private Object viaHost(Method m, Object[] args) throws Throwable {
        Object[] hostArgs = args == null ? null : args.clone();
        if (hostArgs != null) {
            for (int i = 0; i < hostArgs.length; i++) {
                if (hostArgs[i] instanceof Tensor t && !t.isHost()) {
                    hostArgs[i] = t.toHost();
                }
            }
        }
        Object out = call(m, fallback, hostArgs);
        if (args != null) {
            for (int i = 0; i < args.length; i++) {
                if (args[i] instanceof Tensor t && !t.isHost()) {
                    t.copyFromHost(((Tensor) hostArgs[i]).data());
                }
            }
        }
        return out;
    }

    private static Object call(Method m, Backend target, Object[] args) throws Throwable {
        try {
            return m.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }
}
