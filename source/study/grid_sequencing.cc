#include <mollifem/base/exceptions.h>
#include <mollifem/base/format.h>
#include <mollifem/coefficient/hybrid_coefficient.h>
#include <mollifem/study/study.h>

#include <limits>

namespace mollifem
{
  template <int dim>
  void
  Study<dim>::coarsen_for_sequencing()
  {
    const unsigned int levels = inverse_parameters.stage_2.coarse_levels;
    given_mesh_unknowns       = solvers.front()->dof_handler().n_dofs();
    if (!inverse_parameters.stage_2.run || levels == 0)
      return;

    // Every cell must have been refined from the coarse mesh often enough
    // for the coarsening to reach every cell.
    const unsigned int lowest = lowest_active_level(*triangulation);
    AssertThrow(lowest >= levels,
                ExcParameter("Inverse problem/Stage 2/Grid sequencing levels",
                             std::to_string(levels) +
                               " levels need every cell refined at least " +
                               std::to_string(levels) +
                               " times from the coarse mesh; some are refined " +
                               std::to_string(lowest) +
                               " times (raise Mesh/Initial global refinement "
                               "or lower the levels)."));

    // The levels' meshes are named by their cells, which do not depend on
    // the partition; the coarsest is built up from the coarse mesh.
    sequencing_meshes = {active_cell_names(*triangulation)};
    for (unsigned int l = 0; l < levels; ++l)
      sequencing_meshes.push_back(coarser_cells<dim>(sequencing_meshes.back()));
    release_mesh_objects();
    observation_operator =
      std::make_unique<ObservationOperator<dim>>(observations.front().points,
                                                 communicator);
    triangulation->clear();
    create_coarse_mesh(mesh_parameters, *triangulation);
    refine_to(*triangulation, sequencing_meshes.back());
    rebuild_solvers();
    sequencing_level = levels;
    pcout << "Grid sequencing: the inversion starts on the mesh coarsened "
          << levels << (levels == 1 ? " time, " : " times, ")
          << triangulation->n_global_active_cells() << " active cells, "
          << solvers.front()->dof_handler().n_dofs() << " unknowns"
          << (n_experiments() > 1 ? " per experiment" : "") << std::endl;
    summary.set("grid sequencing/levels", levels);
    summary.set("grid sequencing/coarsest active cells",
                triangulation->n_global_active_cells());
    summary.set("grid sequencing/coarsest state unknowns",
                solvers.front()->dof_handler().n_dofs());
  }



  template <int dim>
  void
  Study<dim>::refine_sequencing_level()
  {
    Assert(sequencing_level > 0 && sequencing_meshes.size() > sequencing_level,
           ExcInternalError());
    const double weight = regularization->weight();
    LA::Vector   fe_parameters, network_parameters;
    split_parameters(parameter_field->parameters(),
                     fe_parameters,
                     network_parameters);
    std::unique_ptr<FiniteElement<dim>> fe;
    if (fe_parameters.size() > 0)
      fe = coefficient_dofs().get_fe().clone();

    release_mesh_objects();
    const std::vector<std::string> &finer = sequencing_meshes[sequencing_level - 1];
    if (fe)
      refine_to(*triangulation, finer, fe.get(), {&fe_parameters});
    else
      refine_to(*triangulation, finer);
    AssertThrow(active_cell_names(*triangulation) == finer,
                ExcMessage("Grid sequencing did not reach the mesh of level " +
                           std::to_string(sequencing_level - 1) +
                           " again: the mesh's smoothing refined other "
                           "cells."));
    rebuild_solvers();
    --sequencing_level;
    setup_on_mesh(/*stage_2_only=*/true);
    regularization->set_weight(weight);
    set_parameter_parts(fe_parameters, network_parameters);

    pcout << "Grid sequencing level " << sequencing_level << ": "
          << triangulation->n_global_active_cells() << " active cells, "
          << solvers.front()->dof_handler().n_dofs() << " state unknowns, "
          << parameter_field->parameters().size() << " parameters" << std::endl;
  }



  template <int dim>
  double
  Study<dim>::gradient_norm_scale() const
  {
    if (inverse_parameters.stage_2.inner_product == "lumped mass")
      return 1.;
    const ParametricCoefficient<dim> *field = parameter_field.get();
    const FEFieldCoefficient<dim> *   fe_field =
      dynamic_cast<const FEFieldCoefficient<dim> *>(field);
    if (const auto *hybrid = dynamic_cast<const HybridCoefficient<dim> *>(field))
      fe_field = &hybrid->fe_part();
    if (fe_field == nullptr)
      return 1.;
    return lumped_mass(fe_field->dof_handler(), fe_field->constraints())
      .l2_norm();
  }



  template void
  Study<1>::coarsen_for_sequencing();
  template void
  Study<1>::refine_sequencing_level();
  template double
  Study<1>::gradient_norm_scale() const;
  template void
  Study<2>::coarsen_for_sequencing();
  template void
  Study<2>::refine_sequencing_level();
  template double
  Study<2>::gradient_norm_scale() const;
  template void
  Study<3>::coarsen_for_sequencing();
  template void
  Study<3>::refine_sequencing_level();
  template double
  Study<3>::gradient_norm_scale() const;
} // namespace mollifem
