#include <deal.II/base/quadrature_lib.h>

#include <deal.II/dofs/dof_tools.h>

#include <deal.II/fe/fe_q.h>

#include <deal.II/numerics/error_estimator.h>

#include <mollifem/base/exceptions.h>
#include <mollifem/mollifier/convolution_operator.h>
#include <mollifem/study/study.h>

namespace mollifem
{
  template <int dim>
  std::vector<LA::Vector>
  Study<dim>::mollified_data_at_nodes(const unsigned int     e,
                                      const double           radius,
                                      const std::string &    parameter,
                                      const DoFHandler<dim> &dof_handler) const
  {
    MollifierParameters parameters = mollifier_parameters;
    parameters.bandwidth           = MollifierParameters::Bandwidth::fixed;
    parameters.radius              = {radius};
    parameters.reproduction_degree = -1;
    parameters.derivatives.clear();
    ConvolutionOperator<dim> mollifier(parameters,
                                       {DifferentialOperator<dim>::identity()});
    std::vector<std::vector<LA::Vector>> mollified;
    try
      {
        mollifier.convolve(observations[e].points,
                           data_weights,
                           Targets<dim>::at_support_points(dof_handler,
                                                           solvers[e]->mapping()),
                           observations[e].values,
                           mollified);
      }
    catch (const ExceptionBase &exception)
      {
        AssertThrow(false, ExcParameter(parameter, user_message(exception)));
      }
    IndexSet relevant;
    DoFTools::extract_locally_relevant_dofs(dof_handler, relevant);
    std::vector<LA::Vector> values;
    for (const auto &snapshot : mollified)
      {
        values.emplace_back(dof_handler.locally_owned_dofs(),
                            relevant,
                            communicator);
        values.back() = snapshot[0];
      }
    return values;
  }



  template <int dim>
  void
  Study<dim>::refine_inversion_mesh(const Vector<float> &            indicators,
                                    const double                     fraction,
                                    const FiniteElement<dim> *       fe,
                                    const std::vector<LA::Vector *> &fields,
                                    std::vector<std::string> *       refined)
  {
    release_mesh_objects();
    if (fe != nullptr)
      refine_largest(*triangulation, indicators, fraction, *fe, fields, refined);
    else if (refined != nullptr)
      refine_largest(*triangulation, indicators, fraction, FE_Q<dim>(1), {}, refined);
    else
      refine_largest(*triangulation, indicators, fraction);
    rebuild_solvers();
  }



  template <int dim>
  void
  Study<dim>::release_mesh_objects()
  {
    // Everything that lives on the mesh goes before it changes, the users
    // of a DoFHandler before the DoFHandler.
    regularization.reset();
    parameter_field.reset();
    assessment_dofs.reset();
    equation_error.reset();
    stage_1_mollifier.reset();
    parameter_dofs.reset();
    mollifier.reset();
    mollifier_dofs.reset();
    solvers.clear();
  }



  template <int dim>
  void
  Study<dim>::rebuild_solvers()
  {
    for (const auto &model : models)
      solvers.push_back(std::make_unique<StateSolver<dim>>(*model,
                                                           *triangulation,
                                                           solver_parameters));
  }



  template <int dim>
  void
  Study<dim>::adapt_mesh_to_data()
  {
    const MeshParameters &p = mesh_parameters;
    pcout << "Adaptive refinement to the data (Kelly indicator of the data "
             "mollified with radius "
          << p.adaptive_refinement_radius << ", "
          << 100 * p.adaptive_refinement_fraction << "% of the cells per step)"
          << std::endl;
    const FiniteElement<dim> &fe = solvers.front()->dof_handler().get_fe();
    const unsigned int        c  = models.front()->observed_component();
    const unsigned int degree =
      fe.base_element(fe.component_to_base_index(c).first).degree;
    const FE_Q<dim> scalar_fe(degree);

    for (unsigned int step = 0; step < p.adaptive_refinement_steps; ++step)
      {
        Vector<float> indicators(triangulation->n_active_cells());
        {
          DoFHandler<dim> scalar_dofs(*triangulation);
          scalar_dofs.distribute_dofs(scalar_fe);
          for (unsigned int e = 0; e < n_experiments(); ++e)
            for (const LA::Vector &values :
                 mollified_data_at_nodes(e,
                                         p.adaptive_refinement_radius,
                                         "Mesh/Adaptive refinement radius",
                                         scalar_dofs))
              {
                Vector<float> estimate(triangulation->n_active_cells());
                KellyErrorEstimator<dim>::estimate(solvers[e]->mapping(),
                                                   scalar_dofs,
                                                   QGauss<dim - 1>(degree + 1),
                                                   {},
                                                   values,
                                                   estimate);
                // Every snapshot and experiment counts alike.
                double norm = 0.;
                for (const auto &cell : triangulation->active_cell_iterators())
                  if (cell->is_locally_owned())
                    norm += Utilities::fixed_power<2>(
                      estimate(cell->active_cell_index()));
                norm = std::sqrt(Utilities::MPI::sum(norm, communicator));
                if (norm > 0.)
                  indicators.add(1. / norm, estimate);
              }
        }

        refine_inversion_mesh(indicators, p.adaptive_refinement_fraction);
        pcout << "  step " << step + 1 << ": "
              << triangulation->n_global_active_cells() << " active cells, "
              << solvers.front()->dof_handler().n_dofs() << " unknowns"
              << std::endl;
      }
    summary.set("mesh/adaptive refinement steps", p.adaptive_refinement_steps);
    summary.set("mesh/active cells", triangulation->n_global_active_cells());
    summary.set("mesh/state unknowns", solvers.front()->dof_handler().n_dofs());
    coarsen_for_sequencing();
    setup_on_mesh();
  }



  template std::vector<LA::Vector>
  Study<1>::mollified_data_at_nodes(const unsigned int,
                                    const double,
                                    const std::string &,
                                    const DoFHandler<1> &) const;
  template void
  Study<1>::adapt_mesh_to_data();
  template void
  Study<1>::refine_inversion_mesh(const Vector<float> &,
                                  const double,
                                  const FiniteElement<1> *,
                                  const std::vector<LA::Vector *> &,
                                  std::vector<std::string> *);
  template void
  Study<1>::release_mesh_objects();
  template void
  Study<1>::rebuild_solvers();
  template std::vector<LA::Vector>
  Study<2>::mollified_data_at_nodes(const unsigned int,
                                    const double,
                                    const std::string &,
                                    const DoFHandler<2> &) const;
  template void
  Study<2>::adapt_mesh_to_data();
  template void
  Study<2>::refine_inversion_mesh(const Vector<float> &,
                                  const double,
                                  const FiniteElement<2> *,
                                  const std::vector<LA::Vector *> &,
                                  std::vector<std::string> *);
  template void
  Study<2>::release_mesh_objects();
  template void
  Study<2>::rebuild_solvers();
  template std::vector<LA::Vector>
  Study<3>::mollified_data_at_nodes(const unsigned int,
                                    const double,
                                    const std::string &,
                                    const DoFHandler<3> &) const;
  template void
  Study<3>::adapt_mesh_to_data();
  template void
  Study<3>::refine_inversion_mesh(const Vector<float> &,
                                  const double,
                                  const FiniteElement<3> *,
                                  const std::vector<LA::Vector *> &,
                                  std::vector<std::string> *);
  template void
  Study<3>::release_mesh_objects();
  template void
  Study<3>::rebuild_solvers();
} // namespace mollifem
