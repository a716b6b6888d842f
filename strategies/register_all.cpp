#include "strategies/register_all.hpp"

#include "strategies/datasets/file.hpp"
#include "strategies/datasets/synthetic.hpp"
#include "strategies/initializers/from_file.hpp"
#include "strategies/initializers/furthest_sum.hpp"
#include "strategies/initializers/kmeans_pp.hpp"
#include "strategies/initializers/uniform_weights.hpp"
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
#include "strategies/optimizers/pcha.hpp"
#include "strategies/projectors/knn_hull.hpp"
#include "strategies/projectors/none.hpp"
#include "strategies/projectors/simplex_clamp.hpp"
#include "strategies/projectors/simplex_euclidean.hpp"
#include "strategies/projectors/simplex_sort.hpp"
#include "strategies/stopping/loss_delta.hpp"
#include "strategies/stopping/max_iter.hpp"
#include "strategies/stopping/nan_guard.hpp"
#include "strategies/transforms/archetypax_pgd.hpp"
#include "strategies/transforms/projected_gradient.hpp"

namespace kaa {

void register_all(Registry& r) {
  using namespace strategies;
  r.add<Dataset, Synthetic>();
  r.add<Dataset, File>();

  r.add<Initializer, UniformWeights>();
  r.add<Initializer, KmeansPP>();
  r.add<Initializer, FromFile>();
  r.add<Initializer, FurthestSum>();

  r.add<LossTerm, Reconstruction>();
  r.add<LossTerm, Entropy>();
  r.add<LossTerm, Huber>();

  r.add<Optimizer, Adam>();
  r.add<Optimizer, AlsNnls>();
  r.add<Optimizer, Pcha>();
  r.add<Optimizer, FrankWolfe>();
  r.add<Optimizer, ActiveSet>();

  r.add<Projector, SimplexClamp>();
  r.add<Projector, SimplexEuclidean>();
  r.add<Projector, SimplexSort>();
  r.add<Projector, KnnHull>();
  r.add<Projector, NoProjection>();

  r.add<StoppingRule, MaxIter>();
  r.add<StoppingRule, LossDelta>();
  r.add<StoppingRule, NanGuard>();

  r.add<Metric, Rss>();
  r.add<Metric, ExplainedVariance>();
  r.add<Metric, WeightEntropy>();
  r.add<Metric, WeightSparsity>();
  r.add<Metric, ArchetypeSeparation>();
  r.add<Metric, RecoveryError>();
  r.add<Metric, HullDistance>();

  r.add<Transformer, ProjectedGradient>();
  r.add<Transformer, ArchetypaxPgd>();
}

}  // namespace kaa
