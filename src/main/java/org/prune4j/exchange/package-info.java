/**
 * Trained, pruned models in files other tools read: safetensors and NumPy {@code .npz}, with
 * every parameter dense, each mask as 0/1 bytes, the CSR parts of layers that train sparse,
 * and a metadata block (architecture, per-layer format and density, a checksum). Reading a
 * file back gives the same model bit for bit, or an error naming the file and what is wrong.
 */
package org.prune4j.exchange;
