#include "strategies/register_all.hpp"

#include "strategies/datasets/coreset.hpp"
#include "strategies/datasets/file.hpp"
#include "strategies/datasets/synthetic.hpp"
#include "strategies/hooks/best_parameters/keep_best.hpp"
#include "strategies/hooks/best_parameters/restore_on_rise.hpp"
#include "strategies/hooks/projections/biarchetype_projection.hpp"
#include "strategies/hooks/projections/blended_projection.hpp"
#include "strategies/hooks/updates/direct_update.hpp"
#include "strategies/initializers/column_variance_cosine.hpp"
#include "strategies/initializers/directional.hpp"
#include "strategies/initializers/from_file.hpp"
#include "strategies/initializers/furthest_sum.hpp"
#include "strategies/initializers/kmeans_pp.hpp"
#include "strategies/initializers/kmeans_pp_mixing.hpp"
#include "strategies/initializers/qhull_style.hpp"
#include "strategies/initializers/uniform_column_weights.hpp"
#include "strategies/initializers/uniform_weights.hpp"
#include "strategies/losses/archetype_sparsity.hpp"
#include "strategies/losses/biarchetypal_reconstruction.hpp"
#include "strategies/losses/boundary_incentive.hpp"
#include "strategies/losses/column_entropy.hpp"
#include "strategies/losses/cosine_diversity.hpp"
#include "strategies/losses/entropy.hpp"
#include "strategies/losses/huber.hpp"
#include "strategies/losses/reconstruction.hpp"
#include "strategies/metrics/archetype_separation.hpp"
#include "strategies/metrics/explained_variance.hpp"
#include "strategies/metrics/hull_distance.hpp"
#include "strategies/metrics/recovery_error.hpp"
#include "strategies/metrics/rss.hpp"
#include "strategies/metrics/weight_entropy.hpp"
#include "strategies/metrics/weight_sparsity.hpp"
#include "strategies/optimizers/active_set.hpp"
#include "strategies/optimizers/adam.hpp"
#include "strategies/optimizers/als_nnls.hpp"
#include "strategies/optimizers/frank_wolfe.hpp"
#include "strategies/optimizers/optax_chain.hpp"
#include "strategies/optimizers/pcha.hpp"
#include "strategies/projectors/cbap.hpp"
#include "strategies/projectors/column_simplex_clamp.hpp"
#include "strategies/projectors/convex_hull.hpp"
#include "strategies/projectors/knn_hull.hpp"
#include "strategies/projectors/none.hpp"
#include "strategies/projectors/simplex_clamp.hpp"
#include "strategies/projectors/simplex_euclidean.hpp"
#include "strategies/projectors/simplex_sort.hpp"
#include "strategies/stopping/loss_delta.hpp"
#include "strategies/stopping/max_iter.hpp"
#include "strategies/stopping/nan_guard.hpp"
#include "strategies/stopping/patience.hpp"
#include "strategies/stopping/relative_improvement.hpp"
#include "strategies/transforms/active_set.hpp"
#include "strategies/transforms/archetypax_pgd.hpp"
#include "strategies/transforms/projected_gradient.hpp"

namespace kaa {

void register_all(Registry& r) {
  using namespace strategies;
  r.add<Dataset, Synthetic>();
  r.add<Dataset, File>();
  r.add<Dataset, Coreset>();

  r.add<Initializer, UniformWeights>();
  r.add<Initializer, KmeansPP>();
  r.add<Initializer, FromFile>();
  r.add<Initializer, FurthestSum>();
  r.add<Initializer, Directional>();
  r.add<Initializer, QhullStyle>();
  r.add<Initializer, KmeansPPMixing>();
  r.add<Initializer, ColumnVarianceCosine>();
  r.add<Initializer, UniformColumnWeights>();

  r.add<LossTerm, Reconstruction>();
  r.add<LossTerm, Entropy>();
  r.add<LossTerm, Huber>();
  r.add<LossTerm, BoundaryIncentive>();
  r.add<LossTerm, ArchetypeSparsity>();
  r.add<LossTerm, CosineDiversity>();
  r.add<LossTerm, BiarchetypalReconstruction>();
  r.add<LossTerm, ColumnEntropy>();

  r.add<Optimizer, Adam>();
  r.add<Optimizer, OptaxChain>();
  r.add<Optimizer, AlsNnls>();
  r.add<Optimizer, Pcha>();
  r.add<Optimizer, FrankWolfe>();
  r.add<Optimizer, ActiveSet>();

  r.add<Projector, SimplexClamp>();
  r.add<Projector, SimplexEuclidean>();
  r.add<Projector, SimplexSort>();
  r.add<Projector, KnnHull>();
  r.add<Projector, NoProjection>();
  r.add<Projector, Cbap>();
  r.add<Projector, ConvexHullProjection>();
  r.add<Projector, ColumnSimplexClamp>();

  r.add<Hook, DirectUpdate>();
  r.add<Hook, BlendedProjection>();
  r.add<Hook, KeepBest>();
  r.add<Hook, RestoreOnRise>();
  r.add<Hook, BiarchetypeProjection>();

  r.add<StoppingRule, MaxIter>();
  r.add<StoppingRule, LossDelta>();
  r.add<StoppingRule, NanGuard>();
  r.add<StoppingRule, Patience>();
  r.add<StoppingRule, RelativeImprovement>();

  r.add<Metric, Rss>();
  r.add<Metric, ExplainedVariance>();
  r.add<Metric, WeightEntropy>();
  r.add<Metric, WeightSparsity>();
  r.add<Metric, ArchetypeSeparation>();
  r.add<Metric, RecoveryError>();
  r.add<Metric, HullDistance>();

  r.add<Transformer, ActiveSetTransform>();
  r.add<Transformer, ProjectedGradient>();
  r.add<Transformer, ArchetypaxPgd>();
}

}  // namespace kaa
