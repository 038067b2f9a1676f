package org.prune4j.backend;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.ServiceLoader;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Finds backends through {@link ServiceLoader} and opens one by name. {@code auto} takes the
 * usable backend with the highest priority (CUDA over CPU) and, the first time it falls back,
 * logs why each better backend could not be used.
 */
public final class Backends {
    public static final String AUTO = "auto";
    private static final System.Logger LOG = System.getLogger(Backends.class.getName());
    private static final AtomicBoolean FALLBACK_LOGGED = new AtomicBoolean();

    private static volatile Backend host;

    private Backends() {
    }

    /**
     * The CPU backend that host-memory code shares (optimiser steps on unbound parameters,
     * routing fallbacks); opened once, never closed.
     */
    public static Backend host() {
        Backend h = host;
        if (h == null) {
            synchronized (Backends.class) {
                if (host == null) {
                    host = open("cpu");
                }
                h = host;
            }
        }
        return h;
    }

    /**
     * {@code b} itself when it runs every feature; otherwise a backend that runs on {@code b}
     * what {@code b} declares and the rest on the CPU, saying once per feature what moved.
     */
    public static Backend routed(Backend b) {
        if (b.capabilities().complete()) {
            return b;
        }
        return CapabilityRouter.wrap(b, host());
    }

    /** Every installed provider, best first. */
    public static List<BackendProvider> providers() {
        List<BackendProvider> list = new ArrayList<>();
        ServiceLoader.load(BackendProvider.class, Backends.class.getClassLoader()).forEach(list::add);
        list.sort(Comparator.comparingInt(BackendProvider::priority).reversed());
        return list;
    }

    public static List<String> names() {
        List<String> names = new ArrayList<>();
        names.add(AUTO);
        providers().forEach(p -> names.add(p.name()));
        return names;
    }

    /** Opens the backend called {@code name} ("auto", "cpu", "cuda", ...). */
    public static Backend open(String name) {
        String wanted = name == null ? AUTO : name.trim().toLowerCase(Locale.ROOT);
        List<BackendProvider> providers = providers();
        if (wanted.equals(AUTO)) {
            StringBuilder skipped = new StringBuilder();
            for (BackendProvider p : providers) {
                Availability a = p.probe();
                if (a.usable()) {
                    if (!skipped.isEmpty() && FALLBACK_LOGGED.compareAndSet(false, true)) {
                        LOG.log(System.Logger.Level.INFO, "backend auto: using " + p.name() + "; " + skipped);
                    }
                    return p.create();
                }
                skipped.append(p.name()).append(" unusable (").append(a.detail()).append(") ");
            }
            throw new BackendUnavailableException("no usable backend: " + skipped.toString().trim());
        }
        for (BackendProvider p : providers) {
            if (p.name().equals(wanted)) {
                Availability a = p.probe();
                if (!a.usable()) {
                    throw new BackendUnavailableException("backend '" + wanted + "' cannot run here: " + a.detail()
                            + ". Use --backend cpu (or auto) instead; 'prune4j doctor' shows the details.");
                }
                return p.create();
            }
        }
        throw new BackendUnavailableException("unknown backend '" + name + "'; choose one of " + names());
    }
}
