#pragma once
#include "framework/kernels/block_products.hpp"
#include "framework/kernels/nearest.hpp"
#include "framework/kernels/reconstruction.hpp"
#include "framework/kernels/simplex_qp.hpp"
#include "framework/types.hpp"

namespace kaa::kernels {

/// The outputs and scratch of the shared entry points a strategy calls in every update (Gram and
/// product matrices, streaming-pass scratch), kept by the strategy for the whole fit so that no
/// update after the first allocates. Each entry point sizes what it uses through fit_extents.
struct LoopWorkspace {
  Matrix<double> gram, products, weights_gram, weights_data, data_products;
  Vector<double> norms, center;
  TransposedProductsWorkspace transposed;
  SimplexLeastSquaresWorkspace least_squares;
  // Separate scratch for the objective alone and with gradients: their partials differ in width.
  ReconstructionWorkspace reconstruction, reconstruction_value;
  NearestWorkspace nearest;
  Work padded;
};

}  // namespace kaa::kernels
