#include <mollifem/study/study.h>

#include <algorithm>
#include <string>

namespace mollifem
{
  template <int dim>
  std::unique_ptr<typename Study<dim>::CoarseLevel>
  Study<dim>::make_coarse_level(
    const std::vector<ExperimentData<dim>> &experiments,
    const TimeParameters &                  window,
    ReducedObjective<dim> &                 fine_objective,
    const Optimizer<dim> &                  fine_optimizer)
  {
    const Stage2Parameters &p = inverse_parameters.stage_2;
    Assert(sequencing_level + 1 < sequencing_meshes.size(), ExcInternalError());
    auto *const fine_field =
      dynamic_cast<const FEFieldCoefficient<dim> *>(parameter_field.get());
    Assert(fine_field != nullptr, ExcInternalError());

    // The coarse model's level, Multilevel coarse depth below (at most the
    // coarsest); the fields of the levels between carry the transfers.
    const unsigned int coarse_index =
      std::min<std::size_t>(sequencing_level + p.multilevel_coarse_depth,
                            sequencing_meshes.size() - 1);
    auto level = std::make_unique<CoarseLevel>();
    level->name =
      coarse_index == sequencing_level + 1 ?
        std::string("the level below") :
        "the level " + std::to_string(coarse_index - sequencing_level) +
          " levels below";
    // Level l's mesh and an FE field like the fine one on it.
    const auto level_mesh = [&](const unsigned int l) {
      auto mesh = make_triangulation<dim>(communicator);
      create_coarse_mesh(mesh_parameters, *mesh);
      refine_to(*mesh, sequencing_meshes[l]);
      return mesh;
    };
    const auto level_field = [&](const Triangulation<dim> &mesh) {
      return std::make_unique<FEFieldCoefficient<dim>>(
        mesh,
        coefficient_parameters.fe_degree,
        coefficient_parameters.log_transform);
    };
    std::vector<const FEFieldCoefficient<dim> *> between;
    for (unsigned int l = sequencing_level + 1; l < coarse_index; ++l)
      {
        level->between_meshes.push_back(level_mesh(l));
        level->between_fields.push_back(
          level_field(*level->between_meshes.back()));
        between.push_back(level->between_fields.back().get());
      }
    level->triangulation = level_mesh(coarse_index);
    for (const auto &model : models)
      level->solvers.push_back(
        std::make_unique<StateSolver<dim>>(*model,
                                           *level->triangulation,
                                           solver_parameters));
    level->observation_operator =
      std::make_unique<ObservationOperator<dim>>(observations.front().points,
                                                 communicator);
    level->observation_operator->reinit(*level->triangulation,
                                        level->solvers.front()->mapping());
    check_points_found(*level->observation_operator, "coarser level's mesh");
    level->field = level_field(*level->triangulation);
    level->regularization =
      make_fe_regularization(*level->field, regularization->weight());

    std::vector<ExperimentData<dim>> coarse_experiments;
    for (unsigned int e = 0; e < experiments.size(); ++e)
      coarse_experiments.push_back({experiments[e].model,
                                    *level->solvers[e],
                                    *level->observation_operator,
                                    experiments[e].observation_times,
                                    experiments[e].data,
                                    experiments[e].sigma,
                                    nullptr});
    level->objective =
      std::make_unique<ReducedObjective<dim>>(coarse_experiments,
                                              *level->field,
                                              window,
                                              level->regularization.get());
    level->optimizer = std::make_unique<Optimizer<dim>>(p, *level->objective);
    level->multilevel =
      std::make_unique<MultilevelOptimizer<dim>>(p,
                                                 fine_objective,
                                                 *fine_field,
                                                 fine_optimizer,
                                                 *level->objective,
                                                 *level->field,
                                                 *level->optimizer,
                                                 between);
    return level;
  }



  template std::unique_ptr<Study<1>::CoarseLevel>
  Study<1>::make_coarse_level(const std::vector<ExperimentData<1>> &,
                              const TimeParameters &,
                              ReducedObjective<1> &,
                              const Optimizer<1> &);
  template std::unique_ptr<Study<2>::CoarseLevel>
  Study<2>::make_coarse_level(const std::vector<ExperimentData<2>> &,
                              const TimeParameters &,
                              ReducedObjective<2> &,
                              const Optimizer<2> &);
  template std::unique_ptr<Study<3>::CoarseLevel>
  Study<3>::make_coarse_level(const std::vector<ExperimentData<3>> &,
                              const TimeParameters &,
                              ReducedObjective<3> &,
                              const Optimizer<3> &);
} // namespace mollifem
