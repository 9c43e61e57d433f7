#include <mollifem/base/format.h>
#include <mollifem/study/study.h>

#include <cmath>

namespace mollifem
{
  template <int dim>
  double
  Study<dim>::estimate_model_error(
    const std::vector<ExperimentData<dim>> &experiments,
    const TimeParameters &                  window,
    ReducedObjective<dim> &                 objective,
    const LA::Vector &                      m,
    double &                                work,
    std::vector<std::vector<std::vector<double>>> *errors)
  {
    const auto *const field =
      dynamic_cast<const FEFieldCoefficient<dim> *>(parameter_field.get());
    Assert(field != nullptr, ExcInternalError());

    // The inversion mesh with every cell refined once, on its own
    // triangulation, and the field on it: the same function.
    const auto refined = make_triangulation<dim>(communicator);
    create_coarse_mesh(mesh_parameters, *refined);
    refine_to(*refined, active_cell_names(*triangulation));
    refined->refine_global(1);
    std::vector<std::unique_ptr<StateSolver<dim>>> refined_solvers;
    for (const auto &model : models)
      refined_solvers.push_back(
        std::make_unique<StateSolver<dim>>(*model, *refined, solver_parameters));
    ObservationOperator<dim> refined_operator(observations.front().points,
                                              communicator);
    refined_operator.reinit(*refined, refined_solvers.front()->mapping());
    check_points_found(refined_operator, "refined mesh of the model error");
    FEFieldCoefficient<dim> refined_field(*refined,
                                          coefficient_parameters.fe_degree,
                                          coefficient_parameters.log_transform);
    LA::Vector refined_m = refined_field.make_parameter_vector();
    FieldTransfer<dim>(refined_field, *field).prolongate(m, refined_m);

    std::vector<ExperimentData<dim>> refined_experiments;
    for (unsigned int e = 0; e < experiments.size(); ++e)
      refined_experiments.push_back({experiments[e].model,
                                     *refined_solvers[e],
                                     refined_operator,
                                     experiments[e].observation_times,
                                     experiments[e].data,
                                     experiments[e].sigma,
                                     nullptr});
    ReducedObjective<dim> refined_objective(refined_experiments,
                                            refined_field,
                                            window,
                                            nullptr);
    refined_objective.value(refined_m);
    const double unit =
      static_cast<double>(refined_solvers.front()->dof_handler().n_dofs()) /
      solvers.front()->dof_handler().n_dofs();
    work = unit * refined_objective.statistics().n_linear_solves /
           std::max(1u, refined_objective.statistics().solves_per_forward);

    // The time-stepping error. Synthetic data are made with this time
    // step and share it; data read from files are no solution of the model,
    // so it counts for them: every experiment is solved again on this mesh
    // with half the step (the field, solvers and observation operator
    // shared).
    const bool in_time =
      models.front()->is_transient() && observation_parameters.source == "file";
    std::unique_ptr<ReducedObjective<dim>> half_step_objective;
    TimeParameters                         half_step = window;
    half_step.time_step = window.effective_time_step() / 2.;
    if (in_time)
      {
        half_step_objective =
          std::make_unique<ReducedObjective<dim>>(experiments,
                                                  *parameter_field,
                                                  half_step,
                                                  nullptr);
        half_step_objective->value(m);
      }
    objective.value(m);
    if (in_time)
      work += static_cast<double>(
                half_step_objective->statistics().n_linear_solves) /
              std::max(1u, objective.statistics().solves_per_forward);

    // Richardson: the predictions converge at the order r = p + 1 of the
    // state's element, so that the error of this mesh is the difference
    // over 1 - 2^-r; data made on a mesh R levels finer carry the part
    // 2^(-r R) of it themselves. In time the order is the scheme's (1 for
    // implicit Euler; 2 for Crank-Nicolson, as that of the linear
    // interpolation between steps to the observation times).
    const double order =
      solvers.front()->dof_handler().get_fe().degree + 1.;
    int    finer_by = 0;
    double shared   = 0.;
    if (data_mesh_level >= 0)
      {
        finer_by = data_mesh_level -
                   static_cast<int>(lowest_active_level(*triangulation));
        shared   = std::pow(2., -order * std::max(0, finer_by));
      }
    const double factor = (1. - shared) / (1. - std::pow(2., -order));
    const double order_in_time = window.theta() == 1. ? 1. : 2.;
    const double factor_in_time = 1. / (1. - std::pow(2., -order_in_time));

    // Mean squares in noise units: the differences in space and in time,
    // and the error of this mesh and step, their extrapolations' sum.
    double       difference = 0., difference_in_time = 0., share = 0.;
    unsigned int n = 0;
    if (errors != nullptr)
      errors->resize(experiments.size());
    for (unsigned int e = 0; e < experiments.size(); ++e)
      {
        const auto &coarse = objective.predictions(e);
        const auto &fine   = refined_objective.predictions(e);
        AssertDimension(coarse.size(), fine.size());
        if (errors != nullptr)
          (*errors)[e] = coarse;
        for (unsigned int k = 0; k < coarse.size(); ++k)
          for (unsigned int j = 0; j < coarse[k].size(); ++j)
            {
              const double d =
                (coarse[k][j] - fine[k][j]) / experiments[e].sigma;
              const double d_t =
                in_time ? (coarse[k][j] -
                           half_step_objective->predictions(e)[k][j]) /
                            experiments[e].sigma :
                          0.;
              difference += d * d;
              difference_in_time += d_t * d_t;
              const double error = factor * d + factor_in_time * d_t;
              share += error * error;
              if (errors != nullptr)
                (*errors)[e][k][j] = error * experiments[e].sigma;
              ++n;
            }
      }
    difference /= std::max(1u, n);
    difference_in_time /= std::max(1u, n);
    share /= std::max(1u, n);
    pcout << "    model error: the predictions on the mesh refined once ("
          << refined_solvers.front()->dof_handler().n_dofs()
          << " state unknowns) differ by "
          << internal::format(std::sqrt(difference))
          << " noise sigmas (RMS)";
    if (in_time)
      pcout << ", with half the time step ("
            << internal::format(half_step.effective_time_step()) << ") by "
            << internal::format(std::sqrt(difference_in_time));
    pcout << "; this mesh's error against the data, extrapolated (order "
          << order
          << (in_time ? ", in time " + internal::format(order_in_time) :
                        std::string())
          << (data_mesh_level < 0 ? std::string() :
                             ", data made " + std::to_string(finer_by) +
                               " levels finer")
          << "): " << internal::format(std::sqrt(share)) << " sigmas"
          << std::endl;
    return share;
  }



  template double
  Study<1>::estimate_model_error(const std::vector<ExperimentData<1>> &,
                                 const TimeParameters &,
                                 ReducedObjective<1> &,
                                 const LA::Vector &,
                                 double &,
                                 std::vector<std::vector<std::vector<double>>> *);
  template double
  Study<2>::estimate_model_error(const std::vector<ExperimentData<2>> &,
                                 const TimeParameters &,
                                 ReducedObjective<2> &,
                                 const LA::Vector &,
                                 double &,
                                 std::vector<std::vector<std::vector<double>>> *);
  template double
  Study<3>::estimate_model_error(const std::vector<ExperimentData<3>> &,
                                 const TimeParameters &,
                                 ReducedObjective<3> &,
                                 const LA::Vector &,
                                 double &,
                                 std::vector<std::vector<std::vector<double>>> *);
} // namespace mollifem
