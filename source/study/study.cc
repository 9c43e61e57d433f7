#include <deal.II/base/utilities.h>

#include <deal.II/dofs/dof_tools.h>

#include <deal.II/fe/fe_q.h>

#include <deal.II/numerics/data_out.h>
#include <deal.II/numerics/vector_tools.h>

#include <mollifem/base/exceptions.h>
#include <mollifem/base/files.h>
#include <mollifem/base/parameters.h>
#include <mollifem/coefficient/expression_coefficient.h>
#include <mollifem/data/noise.h>
#include <mollifem/data/observation_io.h>
#include <mollifem/data/sampling.h>
#include <mollifem/data/snapshot_sampler.h>
#include <deal.II/grid/grid_tools.h>

#include <mollifem/base/format.h>
#include <mollifem/output/field_writer.h>
#include <mollifem/study/study.h>
#include <mollifem/study/sweep.h>

#include <cstdio>
#include <filesystem>

namespace mollifem
{
  namespace
  {
    /// The data file of @p other must have the points and times of
    /// @p first: all experiments are observed alike.
    template <int dim>
    void
    check_same_layout(const Observations<dim> &first,
                      const Observations<dim> &other)
    {
      AssertThrow(other.n_points() == first.n_points(),
                  ExcFile(other.source_file,
                          0,
                          "this experiment has " +
                            std::to_string(other.n_points()) +
                            " observation points, but " + first.source_file +
                            " has " + std::to_string(first.n_points()) +
                            "; every experiment must be observed at the "
                            "same points."));
      for (unsigned int i = 0; i < first.n_points(); ++i)
        AssertThrow(first.points[i].distance(other.points[i]) <=
                      1e-10 * (1. + first.points[i].norm()),
                    ExcFile(other.source_file,
                            i < other.source_lines.size() ?
                              other.source_lines[i] :
                              0,
                            "the point " + internal::format(other.points[i]) +
                              " differs from the point " +
                              internal::format(first.points[i]) + " of " +
                              first.source_file +
                              "; every experiment must be observed at the "
                              "same points, in the same order."));
      AssertThrow(other.times.size() == first.times.size() &&
                    std::equal(other.times.begin(),
                               other.times.end(),
                               first.times.begin(),
                               [](const double a, const double b) {
                                 return std::abs(a - b) <=
                                        1e-10 * (1. + std::abs(a));
                               }),
                  ExcFile(other.source_file,
                          0,
                          "the observation times differ from those of " +
                            first.source_file +
                            "; every experiment must be observed at the "
                            "same times."));
    }
  } // namespace




  template <int dim>
  void
  Study<dim>::declare_parameters(ParameterHandler &prm)
  {
    MeshParameters::declare_parameters(prm);
    prm.enter_subsection("Model");
    prm.declare_entry("Model",
                      "heat",
                      Patterns::Selection(ModelRegistry<dim>::names()),
                      "The forward model. Registered models:" +
                        ModelRegistry<dim>::descriptions() +
                        " Several experiments (for example several heat "
                        "sources applied to the same body, each observed): "
                        "every expression of the model's subsection may be "
                        "a list separated by ';' with one expression per "
                        "experiment; all lists have the same length, a "
                        "single expression is shared by all experiments. "
                        "All experiments share the coefficient and are "
                        "fitted together.");
    prm.leave_subsection();
    ModelRegistry<dim>::declare_all_parameters(prm);
    TimeParameters::declare_parameters(prm);
    SolverParameters::declare_parameters(prm);
    CoefficientParameters::declare_parameters(prm);
    ObservationParameters::declare_parameters(prm);
    MollifierParameters::declare_parameters(prm);
    InverseParameters::declare_parameters(
      prm,
      RegularizationRegistry<dim>::names(),
      RegularizationRegistry<dim>::descriptions());
    RegularizationRegistry<dim>::declare_all_parameters(prm);
    OutputParameters::declare_parameters(prm);
    SweepParameters::declare_parameters(prm);
  }



  template <int dim>
  Study<dim>::Study(ParameterHandler &prm, const MPI_Comm communicator)
    : communicator(communicator)
    , pcout(std::cout, Utilities::MPI::this_mpi_process(communicator) == 0)
    , prm(prm)
    , summary(communicator)
  {
    mesh_parameters.parse_parameters(prm, dim);
    time_parameters.parse_parameters(prm);
    solver_parameters.parse_parameters(prm);
    coefficient_parameters.parse_parameters(prm, dim);
    observation_parameters.parse_parameters(prm);
    mollifier_parameters.parse_parameters(prm, dim);
    inverse_parameters.parse_parameters(prm);
    output_parameters.parse_parameters(prm);
    AssertThrow(observation_parameters.data_mesh_level < 0 ||
                  observation_parameters.data_mesh_level >
                    static_cast<int>(mesh_parameters.initial_global_refinement),
                ExcParameter("Observations/Data mesh level",
                             "the mesh of the synthetic data must be finer "
                             "than the inversion mesh (Mesh/Initial global "
                             "refinement = " +
                               std::to_string(
                                 mesh_parameters.initial_global_refinement) +
                               ")."));

    prm.enter_subsection("Model");
    const std::string model_name = prm.get("Model");
    prm.leave_subsection();
    {
      Parameters::ExperimentScope first(0);
      models.push_back(ModelRegistry<dim>::create(model_name, prm));
      for (unsigned int e = 1; e < first.n_experiments(); ++e)
        {
          Parameters::ExperimentScope scope(e);
          models.push_back(ModelRegistry<dim>::create(model_name, prm));
        }
    }
    const auto &model = models.front();

    // A regularization registered as a plugin (not a built-in one).
    {
      const std::string &name = inverse_parameters.stage_2.regularization;
      if (name != "none" && name != "L2" && name != "H1" && name != "H2" &&
          name != "TV")
        regularization_plugin = RegularizationRegistry<dim>::create(name, prm);
    }

    // Observation times must fit the model.
    auto &times = observation_parameters.times;
    if (model->is_transient())
      {
        if (times.empty())
          times.push_back(time_parameters.end_time);
        const double tolerance = 1e-10 * (1. + std::abs(time_parameters.end_time));
        AssertThrow(times.front() >= time_parameters.start_time - tolerance &&
                      times.back() <= time_parameters.end_time + tolerance,
                    ExcParameter("Observations/Times",
                                 "the observation times must lie in the time "
                                 "interval [" +
                                   internal::format(time_parameters.start_time) +
                                   ", " +
                                   internal::format(time_parameters.end_time) +
                                   "] of subsection Time."));
      }
    else
      AssertThrow(times.empty(),
                  ExcParameter("Observations/Times",
                               "the model is steady; observation times "
                               "apply to transient models only."));
    if (observation_parameters.sampling == "grid" &&
        observation_parameters.source == "synthetic")
      AssertThrow(observation_parameters.grid_points.size() == 1 ||
                    observation_parameters.grid_points.size() == dim,
                  ExcParameter("Observations/Grid points",
                               "give one number, or one per direction (" +
                                 std::to_string(dim) + ")."));

    summary.set_parameters(prm);
    summary.set("dimension", dim);
    summary.set("model", model_name);
    summary.set("experiments", n_experiments());
  }



  template <int dim>
  unsigned int
  Study<dim>::n_experiments() const
  {
    return models.size();
  }



  template <int dim>
  std::string
  Study<dim>::file_suffix(const unsigned int e) const
  {
    return n_experiments() == 1 ? std::string() : "_" + std::to_string(e + 1);
  }



  template <int dim>
  std::string
  Study<dim>::experiment_label(const unsigned int e) const
  {
    return n_experiments() == 1 ? std::string() :
                                  "experiment " + std::to_string(e + 1) + ": ";
  }



  template <int dim>
  void
  Study<dim>::check_points_found(
    const ObservationOperator<dim> &observation_operator,
    const std::string &             mesh_name) const
  {
    const std::vector<unsigned int> missing =
      observation_operator.points_not_found();
    if (missing.empty())
      return;
    const unsigned int i     = missing.front();
    const std::string  where = internal::format(observations.front().points[i]);
    const std::string  more =
      (missing.size() > 1) ?
        " (and " + std::to_string(missing.size() - 1) + " more points)" :
        "";
    if (!observations.front().source_file.empty())
      {
        const unsigned int line =
          i < observations.front().source_lines.size() ? observations.front().source_lines[i] : 0;
        AssertThrow(false,
                    ExcFile(observations.front().source_file,
                            line,
                            "the observation point " + where +
                              " lies outside the " + mesh_name + more + "."));
      }
    AssertThrow(false,
                ExcParameter(observation_parameters.sampling == "grid" ?
                               "Observations/Grid box" :
                               "Observations/Sampling",
                             "the observation point " + where +
                               " lies outside the " + mesh_name + more +
                               "; choose a grid box inside the domain."));
  }



  template <int dim>
  void
  Study<dim>::prepare()
  {
    // A checkpoint to resume from must exist and match, before any work.
    if (resume)
      {
        AssertThrow(inverse_parameters.stage_2.run,
                    ExcParameter("Inverse problem/Stage 2/Run",
                                 "--resume continues stage 2, which this "
                                 "file does not run."));
        checkpoint_to_resume = read_checkpoint();
      }
    triangulation = make_triangulation<dim>(communicator);
    create_mesh(mesh_parameters, *triangulation);
    std::tie(truth_function, truth_description) =
      coefficient_parameters.make_truth_function(*triangulation);
    for (const auto &model : models)
      solvers.push_back(std::make_unique<StateSolver<dim>>(*model,
                                                           *triangulation,
                                                           solver_parameters));
    const auto &model  = models.front();
    const auto &solver = solvers.front();

    pcout << "Mesh: " << triangulation->n_global_active_cells()
          << " active cells";
    if (mesh_parameters.local_refinement_steps > 0)
      pcout << " (" << mesh_parameters.local_refinement_steps
            << " local refinement steps)";
    pcout << "\nModel " << model->name() << " ("
          << (model->is_transient() ? "transient" : "steady") << "), "
          << solver->dof_handler().get_fe().get_name() << ": "
          << solver->dof_handler().n_dofs() << " unknowns";
    if (n_experiments() > 1)
      pcout << " per experiment, " << n_experiments() << " experiments";
    pcout << std::endl;
    summary.set("mesh/active cells", triangulation->n_global_active_cells());
    summary.set("mesh/state unknowns", solver->dof_handler().n_dofs());

    const ObservationParameters &op = observation_parameters;
    if (op.source == "file")
      {
        AssertThrow(op.files.size() == n_experiments(),
                    ExcParameter("Observations/File",
                                 "give one data file per experiment (" +
                                   std::to_string(n_experiments()) +
                                   "), separated by ';'; found " +
                                   std::to_string(op.files.size()) + "."));
        for (const std::string &file : op.files)
          {
            observations.push_back(ObservationIO::read<dim>(file));
            const Observations<dim> &o = observations.back();
            AssertThrow(o.is_transient() == model->is_transient(),
                        ExcFile(file,
                                0,
                                std::string("the data are ") +
                                  (o.is_transient() ? "transient" : "steady") +
                                  " but the model is " +
                                  (model->is_transient() ? "transient" :
                                                           "steady") +
                                  (o.is_transient() ?
                                     " (the file has a time column)." :
                                     " (the file has no time column 't').")));
            if (o.is_transient())
              {
                const double tolerance =
                  1e-10 * (1. + std::abs(time_parameters.end_time));
                AssertThrow(o.times.front() >=
                                time_parameters.start_time - tolerance &&
                              o.times.back() <=
                                time_parameters.end_time + tolerance,
                            ExcFile(file,
                                    0,
                                    "the observation times [" +
                                      internal::format(o.times.front()) +
                                      ", " + internal::format(o.times.back()) +
                                      "] leave the time interval of "
                                      "subsection Time."));
              }
            check_same_layout(observations.front(), o);
          }
      }
    else
      {
        Observations<dim> layout;
        if (op.sampling == "grid")
          {
            BoundingBox<dim> box = domain_bounding_box(*triangulation);
            if (!op.grid_box.empty())
              {
                box = Parameters::parse_box<dim>(op.grid_box,
                                                 "Observations/Grid box");
              }
            std::array<unsigned int, dim> n;
            for (unsigned int d = 0; d < dim; ++d)
              n[d] = op.grid_points[op.grid_points.size() == 1 ? 0 : d];
            const auto grid = StructuredGrid<dim>::spanning(
              box.get_boundary_points().first,
              box.get_boundary_points().second,
              n);
            layout.grid   = grid;
            layout.points = grid.points();
          }
        else if (op.sampling == "random")
          layout.points =
            random_points_in_domain(*triangulation,
                                    solver->mapping(),
                                    op.n_random_points,
                                    op.sampling_seed);
        else
          {
            const auto points_only = ObservationIO::read_points<dim>(op.points_file);
            layout.points       = points_only.points;
            layout.source_file  = points_only.source_file;
            layout.source_lines = points_only.source_lines;
          }
        if (model->is_transient())
          layout.times = op.times;
        layout.field_name =
          model->component_names()[model->observed_component()];
        observations.assign(n_experiments(), layout);
      }

    observation_operator =
      std::make_unique<ObservationOperator<dim>>(observations.front().points,
                                                 communicator);
    // The mollifiers depend on the points only: the quadrature weights of
    // the data are computed once.
    if (!mollifier_parameters.derivatives.empty() || inverse_parameters.stage_1 ||
        (inverse_parameters.stage_2.run &&
         inverse_parameters.stage_2.initial_state == "data") ||
        mesh_parameters.adaptive_refinement_steps > 0)
      data_weights = quadrature_weights(observations.front(),
                                        GridTools::volume(*triangulation,
                                                          solver->mapping()));
    // With adaptive refinement to the data, the mesh is coarsened for grid
    // sequencing once it is adapted.
    if (mesh_parameters.adaptive_refinement_steps == 0)
      coarsen_for_sequencing();
    setup_on_mesh();
  }



  template <int dim>
  void
  Study<dim>::setup_on_mesh(const bool stage_2_only)
  {
    observation_operator->reinit(*triangulation, solvers.front()->mapping());
    check_points_found(*observation_operator, "domain");

    // The mollifier and the stages are assembled here, so that a radius too
    // small for the data stops the run before anything is written.
    if (!mollifier_parameters.derivatives.empty() && !stage_2_only)
      setup_mollifier();
    if (inverse_parameters.stage_1 && !stage_2_only)
      setup_stage_1();
    if (inverse_parameters.stage_2.run)
      setup_stage_2();
  }



  template <int dim>
  std::vector<std::vector<double>>
  Study<dim>::solve_and_observe(
    StateSolver<dim> &              solver,
    const CoefficientField<dim> &   coefficient,
    const ObservationOperator<dim> &observation_operator,
    const std::function<void(unsigned int, double, const LA::Vector &)>
      &               output,
    const LA::Vector *initial_state)
  {
    solver.set_coefficient(coefficient);
    const Model<dim> & model     = *models.front();
    const unsigned int component = model.observed_component();
    if (!model.is_transient())
      {
        // Newton's initial guess: the given state, or the model's initial
        // condition (which selects the state of a pattern-forming model).
        LA::Vector state = solver.make_ghosted_vector();
        if (initial_state)
          state = *initial_state;
        else
          {
            LA::Vector owned = solver.make_owned_vector();
            VectorTools::interpolate(solver.mapping(),
                                     solver.dof_handler(),
                                     *model.initial_condition(),
                                     owned);
            state = owned;
          }
        solver.solve_steady(state);
        if (output)
          output(0, 0., state);
        return {observation_operator.evaluate(solver.dof_handler(),
                                              state,
                                              component)};
      }

    SnapshotSampler<dim> sampler(observation_operator,
                                 solver.dof_handler(),
                                 component,
                                 observations.front().times);
    const unsigned int n_steps = time_parameters.n_steps();
    const unsigned int report  = std::max(1u, n_steps / 5);
    solver.solve_transient(time_parameters,
                           [&](const unsigned int step,
                               const double       time,
                               const LA::Vector & state) {
                             sampler.add(time, state);
                             if (output)
                               output(step, time, state);
                             if (step > 0 && (step % report == 0 || step == n_steps))
                               pcout << "    step " << step << " of " << n_steps
                                     << ", t = " << internal::format(time)
                                     << std::endl;
                           });
    AssertThrow(sampler.complete(),
                ExcMessage("Not every observation time was reached."));
    return sampler.values();
  }



  template <int dim>
  void
  Study<dim>::make_synthetic_observations()
  {
    auto fine_triangulation = make_triangulation<dim>(communicator);
    // Finer than any cell of the inversion mesh, adapted or not; or at the
    // level asked for.
    const unsigned int refinement =
      observation_parameters.data_mesh_level >= 0 ?
        observation_parameters.data_mesh_level -
          mesh_parameters.initial_global_refinement :
        observation_parameters.additional_refinement +
          mesh_parameters.adaptive_refinement_steps;
    create_mesh(mesh_parameters, *fine_triangulation, refinement);
    data_mesh_level = lowest_active_level(*fine_triangulation);
    ObservationOperator<dim> fine_operator(observations.front().points,
                                           communicator);
    const FunctionCoefficient<dim> truth(truth_function, truth_description);
    noise_sigmas.resize(n_experiments());
    for (unsigned int e = 0; e < n_experiments(); ++e)
      {
        StateSolver<dim> fine_solver(*models[e],
                                     *fine_triangulation,
                                     solver_parameters);
        if (e == 0)
          {
            pcout << "Synthetic data: the ground truth on a mesh refined "
                  << refinement
                  << " more times, "
                  << fine_triangulation->n_global_active_cells()
                  << " active cells, " << fine_solver.dof_handler().n_dofs()
                  << " unknowns" << std::endl;
            summary.set("synthetic data/active cells",
                        fine_triangulation->n_global_active_cells());
            summary.set("synthetic data/unknowns",
                        fine_solver.dof_handler().n_dofs());
          }
        if (n_experiments() > 1)
          pcout << "  experiment " << e + 1 << " of " << n_experiments()
                << std::endl;
        // The operator refers to the solver's mapping.
        fine_operator.reinit(*fine_triangulation, fine_solver.mapping());
        if (e == 0)
          check_points_found(fine_operator, "finer mesh of the synthetic data");
        observations[e].values =
          solve_and_observe(fine_solver, truth, fine_operator, nullptr);
        // Independent noise in every experiment.
        noise_sigmas[e] =
          add_relative_noise(observations[e].values,
                             observation_parameters.noise_level,
                             observation_parameters.noise_seed + e);
      }

    summary.set("synthetic data/ground truth", truth_description);
    summary.set("synthetic data/noise level", observation_parameters.noise_level);
    summary.set("synthetic data/noise sigma", noise_sigmas.front());
    for (unsigned int e = 1; e < n_experiments(); ++e)
      summary.set("synthetic data/noise sigma of experiment " +
                    std::to_string(e + 1),
                  noise_sigmas[e]);
  }



  template <int dim>
  void
  Study<dim>::solve_on_inversion_mesh()
  {
    const auto coefficient =
      coefficient_parameters.make_truth<dim>(*triangulation);
    const FunctionCoefficient<dim> truth(truth_function, truth_description);
    const auto &model = models.front();
    pcout << "Forward solve on the inversion mesh with the true "
          << model->coefficient_name() << " (" << coefficient->description()
          << ")" << std::endl;

    // The coefficient fields for output live on a scalar Lagrange space of
    // the state's degree.
    const FE_Q<dim> scalar_fe(solvers.front()->dof_handler().get_fe().degree);
    DoFHandler<dim> scalar_dofs(*triangulation);
    scalar_dofs.distribute_dofs(scalar_fe);
    IndexSet relevant;
    DoFTools::extract_locally_relevant_dofs(scalar_dofs, relevant);
    LA::Vector owned(scalar_dofs.locally_owned_dofs(), communicator);
    LA::Vector coefficient_output(scalar_dofs.locally_owned_dofs(),
                                  relevant,
                                  communicator);
    LA::Vector truth_output(coefficient_output);
    coefficient->interpolate(scalar_dofs, owned);
    coefficient_output = owned;
    truth.interpolate(scalar_dofs, owned);
    truth_output = owned;

    Vector<float> subdomain(triangulation->n_active_cells());
    for (const auto &cell : triangulation->active_cell_iterators())
      if (cell->is_locally_owned())
        subdomain(cell->active_cell_index()) = triangulation->locally_owned_subdomain();

    // The noise of synthetic data, or for data from files the one stage 2
    // is given.
    const auto sigma = [&](const unsigned int e) {
      return noise_sigmas.empty() ? inverse_parameters.stage_2.noise_sigma :
                                    noise_sigmas[e];
    };
    double       misfit = 0., data = 0., weighted_misfit = 0.;
    unsigned int n = 0;
    for (unsigned int e = 0; e < n_experiments(); ++e)
      {
        StateSolver<dim> &solver = *solvers[e];
        FieldWriter<dim>  writer(output_parameters.directory,
                                "solution" + file_suffix(e),
                                communicator);
        const unsigned int n_steps =
          model->is_transient() ? time_parameters.n_steps() : 0;
        const auto output = [&](const unsigned int step,
                                const double       time,
                                const LA::Vector & state) {
          if (!output_parameters.write_vtu ||
              (step % output_parameters.vtu_interval != 0 && step != n_steps))
            return;
          DataOut<dim> data_out;
          // The default compression is the tightest and dominates the run
          // time of transient output; fast compression is almost as small.
          DataOutBase::VtkFlags flags;
          flags.compression_level = DataOutBase::VtkFlags::best_speed;
          data_out.set_flags(flags);
          data_out.add_data_vector(solver.dof_handler(),
                                   state,
                                   model->component_names());
          data_out.add_data_vector(scalar_dofs,
                                   coefficient_output,
                                   model->coefficient_name());
          data_out.add_data_vector(scalar_dofs,
                                   truth_output,
                                   model->coefficient_name() + "_true");
          data_out.add_data_vector(subdomain, "subdomain");
          data_out.build_patches(solver.mapping(), scalar_fe.degree);
          writer.write(data_out, time);
        };

        // Posed as stage 2 will pose it: a steady state from the data.
        LA::Vector initial_state;
        const bool from_data = inverse_parameters.stage_2.run &&
                               inverse_parameters.stage_2.initial_state == "data" &&
                               !model->is_transient();
        if (from_data)
          initial_state = state_from_data(e, 0);
        const auto predicted = solve_and_observe(solver,
                                                 *coefficient,
                                                 *observation_operator,
                                                 output,
                                                 from_data ? &initial_state :
                                                             nullptr);

        double experiment_misfit = 0., experiment_data = 0.;
        for (unsigned int s = 0; s < predicted.size(); ++s)
          for (unsigned int j = 0; j < predicted[s].size(); ++j)
            {
              const double d = observations[e].values[s][j];
              experiment_misfit += (predicted[s][j] - d) * (predicted[s][j] - d);
              experiment_data += d * d;
              ++n;
            }
        misfit += experiment_misfit;
        data += experiment_data;
        pcout << "  " << experiment_label(e)
              << "relative misfit ||Bu - d|| / ||d|| = "
              << internal::format(std::sqrt(
                   experiment_misfit / std::max(experiment_data, 1e-300)));
        if (sigma(e) > 0.)
          {
            const double size = predicted.size() * predicted.front().size();
            weighted_misfit += experiment_misfit / (sigma(e) * sigma(e));
            pcout << ", RMS misfit / noise sigma = "
                  << internal::format(std::sqrt(experiment_misfit / size) /
                                      sigma(e));
          }
        pcout << std::endl;
        if (output_parameters.write_vtu)
          pcout << "  fields: "
                << join_path(output_parameters.directory, writer.pvd_name())
                << std::endl;
      }
    summary.set("forward/relative misfit",
                std::sqrt(misfit / std::max(data, 1e-300)));
    if (sigma(0) > 0.)
      summary.set("forward/misfit over noise", std::sqrt(weighted_misfit / n));

    SolverStatistics stats;
    for (const auto &solver : solvers)
      {
        stats.n_linear_solves += solver->statistics().n_linear_solves;
        stats.n_linear_iterations += solver->statistics().n_linear_iterations;
        stats.n_time_steps += solver->statistics().n_time_steps;
      }
    summary.set("forward/linear solves", stats.n_linear_solves);
    summary.set("forward/linear iterations", stats.n_linear_iterations);
    summary.set("forward/time steps", stats.n_time_steps);
  }



  template <int dim>
  void
  Study<dim>::run()
  {
    summary.end_stage("set-up");
    if (observation_parameters.source == "synthetic")
      {
        make_synthetic_observations();
        summary.end_stage("synthetic data");
      }

    const Observations<dim> &layout = observations.front();
    pcout << "Observations: " << layout.n_points() << " points";
    if (layout.grid)
      {
        pcout << " on a ";
        for (unsigned int d = 0; d < dim; ++d)
          pcout << (d > 0 ? " x " : "") << layout.grid->n_points[d];
        pcout << " grid";
      }
    pcout << ", " << layout.n_snapshots()
          << (layout.n_snapshots() == 1 ? " snapshot" : " snapshots");
    if (n_experiments() > 1)
      pcout << " per experiment";
    if (observation_parameters.source == "synthetic")
      {
        pcout << ", noise "
              << internal::format(100 * observation_parameters.noise_level)
              << "% (sigma = ";
        for (unsigned int e = 0; e < n_experiments(); ++e)
          pcout << (e > 0 ? ", " : "") << internal::format(noise_sigmas[e]);
        pcout << ")";
      }
    pcout << std::endl;
    summary.set("observations/points", layout.n_points());
    summary.set("observations/snapshots", layout.n_snapshots());
    summary.set("observations/source",
                observation_parameters.source == "file" ? observation_parameters.file :
                                                          std::string("synthetic"));

    if (mesh_parameters.adaptive_refinement_steps > 0)
      {
        adapt_mesh_to_data();
        summary.end_stage("adaptive refinement");
      }

    if (inverse_parameters.stage_1)
      {
        mollify_for_stage_1();
        summary.end_stage("stage 1 mollification");
      }

    // From here on files are written: every input has been checked.
    create_directory(output_parameters.directory);
    for (unsigned int e = 0; e < n_experiments(); ++e)
      {
        const std::string name = "observations" + file_suffix(e);
        if (observation_parameters.write_files &&
            Utilities::MPI::this_mpi_process(communicator) == 0)
          {
            ObservationIO::write(observations[e],
                                 join_path(output_parameters.directory,
                                           name + ".csv"));
            if (layout.grid)
              ObservationIO::write(observations[e],
                                   join_path(output_parameters.directory,
                                             name + ".vtk"));
          }
        if (output_parameters.write_vtu)
          write_observation_points(observations[e],
                                   output_parameters.directory,
                                   name,
                                   communicator);
      }

    solve_on_inversion_mesh();
    summary.end_stage("forward solve");

    if (!mollifier_parameters.derivatives.empty())
      {
        mollify_observations();
        summary.end_stage("mollified data");
      }
    if (inverse_parameters.stage_1)
      {
        run_stage_1();
        summary.end_stage("stage 1");
      }
    if (inverse_parameters.stage_2.run)
      {
        try
          {
            // From a checkpoint, or from the start; then the adaptive
            // cycles.
            if (checkpoint_to_resume)
              restore_checkpoint(*checkpoint_to_resume);
            while (true)
              {
                run_stage_2(checkpoint_to_resume.get());
                checkpoint_to_resume.reset();
                if (sequencing_level > 0)
                  {
                    summary.end_stage("stage 2 level " +
                                      std::to_string(sequencing_level));
                    refine_sequencing_level();
                    continue;
                  }
                summary.end_stage(stage_2_cycle == 0 ?
                                    std::string("stage 2") :
                                    "stage 2 cycle " + std::to_string(stage_2_cycle));
                if (stage_2_cycle == inverse_parameters.stage_2.adaptive_cycles)
                  break;
                ++stage_2_cycle;
                adapt_inversion_mesh();
              }
          }
        catch (const Stopped &)
          {
            pcout << "Stopped after checkpoint " << n_checkpoints
                  << " (Inverse problem/Stage 2/Stop after checkpoints): "
                     "continue with 'mollifem FILE.prm --resume'."
                  << std::endl;
            return;
          }
        if (inverse_parameters.stage_2.adaptive_cycles > 0)
          write_adaptive_cycles();
        // Finished: nothing to resume.
        if (Utilities::MPI::this_mpi_process(communicator) == 0)
          std::filesystem::remove(
            join_path(output_parameters.directory, "checkpoint.txt"));
      }

    summary.write(join_path(output_parameters.directory, "summary.json"));
    if (output_parameters.print_timings)
      pcout << "Wall time " << internal::format(summary.wall_time())
            << " s on " << Utilities::MPI::n_mpi_processes(communicator)
            << " MPI ranks, peak memory "
            << internal::format(
                 Utilities::MPI::max(peak_memory_mib(), communicator))
            << " MiB per rank" << std::endl;
  }



  template class Study<1>;
  template class Study<2>;
  template class Study<3>;
} // namespace mollifem
