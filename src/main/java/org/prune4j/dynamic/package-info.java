/**
 * Networks that are sparse from the first step to the last. Dynamic sparse training keeps a
 * fixed number of connections per layer and moves them while training: SET (Mocanu et al.
 * 2018) drops the smallest weights and regrows at random, RigL (Evci et al. 2020) regrows
 * where the dense gradient is largest. Mask learners keep the weights at their random
 * initialisation and learn which connections to use: edge-popup (Ramanujan et al. 2020),
 * learned supermasks (Zhou et al. 2019) and, one mask per task, supermasks in superposition
 * (Wortsman et al. 2020). BatchNorm-only training (Frankle et al. 2021) trains nothing but the
 * BatchNorm scales and shifts.
 *
 * <p>Each method is a {@link org.prune4j.dynamic.SparseMethod} found by name in
 * {@link org.prune4j.dynamic.SparseMethods}; it prepares the model and returns the training
 * hooks that update masks or scores between steps, so the trainer and its resident,
 * one-copy-per-step loop stay as they are. Between mask updates SET and RigL run on whichever
 * kernels the kernel policy picks for their density; the mask learners change their masks
 * every step and need the gradient at every connection, so they run on the dense path.
 */
package org.prune4j.dynamic;
