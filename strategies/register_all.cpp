#include "strategies/register_all.hpp"

#include "strategies/datasets/file.hpp"
#include "strategies/datasets/synthetic.hpp"
#include "strategies/hooks/biarchetype_projection.hpp"
#include "strategies/initializers/column_variance_cosine.hpp"
#include "strategies/initializers/from_file.hpp"
#include "strategies/initializers/kmeans_pp.hpp"
#include "strategies/initializers/kmeans_pp_mixing.hpp"
#include "strategies/initializers/uniform_column_weights.hpp"
#include "strategies/initializers/uniform_weights.hpp"
#include "strategies/losses/biarchetypal_reconstruction.hpp"
#include "strategies/losses/column_entropy.hpp"
#include "strategies/losses/entropy.hpp"
#include "strategies/losses/reconstruction.hpp"
#include "strategies/metrics/explained_variance.hpp"
#include "strategies/metrics/rss.hpp"
#include "strategies/optimizers/adam.hpp"
#include "strategies/optimizers/optax_chain.hpp"
#include "strategies/projectors/column_simplex_clamp.hpp"
#include "strategies/projectors/knn_hull.hpp"
#include "strategies/projectors/none.hpp"
#include "strategies/projectors/simplex_clamp.hpp"
#include "strategies/projectors/simplex_euclidean.hpp"
#include "strategies/stopping/loss_delta.hpp"
#include "strategies/stopping/max_iter.hpp"
#include "strategies/stopping/nan_guard.hpp"
#include "strategies/stopping/relative_improvement.hpp"
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
  r.add<Initializer, KmeansPPMixing>();
  r.add<Initializer, ColumnVarianceCosine>();
  r.add<Initializer, UniformColumnWeights>();

  r.add<LossTerm, Reconstruction>();
  r.add<LossTerm, Entropy>();
  r.add<LossTerm, BiarchetypalReconstruction>();
  r.add<LossTerm, ColumnEntropy>();

  r.add<Optimizer, Adam>();
  r.add<Optimizer, OptaxChain>();

  r.add<Projector, SimplexClamp>();
  r.add<Projector, SimplexEuclidean>();
  r.add<Projector, KnnHull>();
  r.add<Projector, NoProjection>();
  r.add<Projector, ColumnSimplexClamp>();

  r.add<Hook, BiarchetypeProjection>();

  r.add<StoppingRule, MaxIter>();
  r.add<StoppingRule, LossDelta>();
  r.add<StoppingRule, NanGuard>();
  r.add<StoppingRule, RelativeImprovement>();

  r.add<Metric, Rss>();
  r.add<Metric, ExplainedVariance>();

  r.add<Transformer, ProjectedGradient>();
  r.add<Transformer, ArchetypaxPgd>();
}

}  // namespace kaa
