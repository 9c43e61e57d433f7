#include <deal.II/base/quadrature_lib.h>

#include <deal.II/dofs/dof_tools.h>

#include <deal.II/fe/component_mask.h>

#include <deal.II/numerics/error_estimator.h>

#include <mollifem/base/files.h>
#include <mollifem/base/format.h>
#include <mollifem/coefficient/hybrid_coefficient.h>
#include <mollifem/study/study.h>

#include <sstream>

namespace mollifem
{
  namespace
  {
    /// @p indicators += @p estimate / |estimate| (the l2 norm over all
    /// locally owned cells of all ranks), so that every contribution
    /// counts alike.
    template <int dim>
    void
    add_normalized(const Triangulation<dim> &triangulation,
                   const Vector<float> &     estimate,
                   const MPI_Comm            communicator,
                   Vector<float> &           indicators)
    {
      double norm = 0.;
      for (const auto &cell : triangulation.active_cell_iterators())
        if (cell->is_locally_owned())
          norm += Utilities::fixed_power<2>(estimate(cell->active_cell_index()));
      norm = std::sqrt(Utilities::MPI::sum(norm, communicator));
      if (norm > 0.)
        indicators.add(1. / norm, estimate);
    }
  } // namespace



  template <int dim>
  void
  Study<dim>::adapt_inversion_mesh()
  {
    const Stage2Parameters &p     = inverse_parameters.stage_2;
    ParametricCoefficient<dim> &field = *parameter_field;
    const Mapping<dim> &    mapping = solvers.front()->mapping();
    pcout << "Adaptive cycle " << stage_2_cycle << " of " << p.adaptive_cycles
          << ": refine " << internal::format(100 * p.adaptive_fraction)
          << "% of the cells by the Kelly indicator of the "
          << (p.adaptive_indicator == "coefficient and state" ?
                "recovered coefficient and its state" :
                (p.adaptive_indicator == "coefficient" ?
                   "recovered coefficient" :
                   "state of the recovered coefficient"))
          << std::endl;

    Vector<float> indicators(triangulation->n_active_cells());
    Vector<float> estimate(triangulation->n_active_cells());
    if (p.adaptive_indicator != "state")
      {
        const DoFHandler<dim> &dofs = coefficient_dofs();
        IndexSet               relevant;
        DoFTools::extract_locally_relevant_dofs(dofs, relevant);
        LA::Vector owned(dofs.locally_owned_dofs(), communicator);
        LA::Vector q(dofs.locally_owned_dofs(), relevant, communicator);
        field.interpolate(dofs, owned);
        q = owned;
        KellyErrorEstimator<dim>::estimate(mapping,
                                           dofs,
                                           QGauss<dim - 1>(dofs.get_fe().degree + 1),
                                           {},
                                           q,
                                           estimate);
        add_normalized(*triangulation, estimate, communicator, indicators);
      }
    if (p.adaptive_indicator != "coefficient")
      {
        const Model<dim> & model     = *models.front();
        const unsigned int n_steps =
          model.is_transient() ? time_parameters.n_steps() : 0;
        const unsigned int every = std::max(1u, n_steps / 5);
        for (unsigned int e = 0; e < n_experiments(); ++e)
          {
            StateSolver<dim> &     solver = *solvers[e];
            const FiniteElement<dim> &fe  = solver.dof_handler().get_fe();
            ComponentMask observed(fe.n_components(), false);
            observed.set(model.observed_component(), true);
            const auto add_state = [&](const unsigned int step,
                                       const double,
                                       const LA::Vector &state) {
              if (n_steps > 0 && (step == 0 || (step % every != 0 && step != n_steps)))
                return;
              KellyErrorEstimator<dim>::estimate(mapping,
                                                 solver.dof_handler(),
                                                 QGauss<dim - 1>(fe.degree + 1),
                                                 {},
                                                 state,
                                                 estimate,
                                                 observed);
              add_normalized(*triangulation, estimate, communicator, indicators);
            };
            LA::Vector initial_state;
            const bool from_data =
              p.initial_state == "data" && !model.is_transient();
            if (from_data)
              initial_state = state_from_data(e, 0);
            solve_and_observe(solver,
                              field,
                              *observation_operator,
                              add_state,
                              from_data ? &initial_state : nullptr);
          }
      }

    // The iterate: the FE field's parameters are carried across the
    // refinement, a network's weights do not depend on the mesh.
    const double weight = regularization->weight();
    LA::Vector   fe_parameters, network_parameters;
    split_parameters(field.parameters(), fe_parameters, network_parameters);
    std::unique_ptr<FiniteElement<dim>> fe;
    if (fe_parameters.size() > 0)
      fe = coefficient_dofs().get_fe().clone();

    refinement_history.emplace_back();
    if (fe)
      refine_inversion_mesh(indicators,
                            p.adaptive_fraction,
                            fe.get(),
                            {&fe_parameters},
                            &refinement_history.back());
    else
      refine_inversion_mesh(
        indicators, p.adaptive_fraction, nullptr, {}, &refinement_history.back());
    setup_on_mesh(/*stage_2_only=*/true);
    regularization->set_weight(weight);

    set_parameter_parts(fe_parameters, network_parameters);
    const ParametricCoefficient<dim> &new_field = *parameter_field;

    pcout << "  " << triangulation->n_global_active_cells() << " active cells, "
          << solvers.front()->dof_handler().n_dofs() << " state unknowns, "
          << new_field.parameters().size() << " parameters" << std::endl;
  }



  template <int dim>
  void
  Study<dim>::write_adaptive_cycles()
  {
    std::ostringstream csv;
    csv << "cycle,active_cells,state_unknowns,parameter_unknowns,iterations,"
           "misfit,correlation,correlation_interior,relative_L2_error,"
           "relative_L2_error_interior,forward_solve_equivalents,seconds\n";
    for (unsigned int c = 0; c < stage_2_cycles.size(); ++c)
      {
        const AdaptiveCycle &row = stage_2_cycles[c];
        csv << c << ',';
        row.write(csv, ',');
        csv << '\n';
        const std::string section = "stage 2 cycles/" + std::to_string(c);
        summary.set(section + "/active cells", row.active_cells);
        summary.set(section + "/state unknowns", row.state_unknowns);
        summary.set(section + "/parameter unknowns", row.parameter_unknowns);
        summary.set(section + "/iterations", row.iterations);
        summary.set(section + "/misfit", row.misfit);
        row.scores.add_to(summary, section);
        summary.set(section + "/forward-solve equivalents",
                    row.forward_solve_equivalents);
      }
    const std::string file =
      join_path(output_parameters.directory, "stage_2_cycles.csv");
    if (Utilities::MPI::this_mpi_process(communicator) == 0)
      write_file_atomically(file, [&](std::ostream &out) { out << csv.str(); });
    pcout << "Adaptive inversion: " << stage_2_cycles.size()
          << " cycles, table " << file << std::endl;
  }



  template void
  Study<1>::adapt_inversion_mesh();
  template void
  Study<1>::write_adaptive_cycles();
  template void
  Study<2>::adapt_inversion_mesh();
  template void
  Study<2>::write_adaptive_cycles();
  template void
  Study<3>::adapt_inversion_mesh();
  template void
  Study<3>::write_adaptive_cycles();
} // namespace mollifem
